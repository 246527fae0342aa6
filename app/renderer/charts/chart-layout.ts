// How the user arranged the live charts: their order, which are collapsed to a title bar, which
// one is enlarged to the whole width. Kept in the console's storage; a chart added in a later
// version appears at the end, one removed is forgotten.
export interface ChartLayout {
  order: string[];
  collapsed: string[];
  enlarged: string | null;
}

const KEY = 'scalelab.chart-layout';

export const defaultLayout = (ids: readonly string[]): ChartLayout => ({
  order: [...ids],
  collapsed: [],
  enlarged: null,
});

/** The stored layout fitted to the charts there are now. */
export function fitLayout(stored: Partial<ChartLayout> | null, ids: readonly string[]): ChartLayout {
  const known = new Set(ids);
  const order = (Array.isArray(stored?.order) ? stored.order : []).filter(
    (id): id is string => typeof id === 'string' && known.has(id),
  );
  const unique = [...new Set(order)];
  return {
    order: [...unique, ...ids.filter((id) => !unique.includes(id))],
    collapsed: (Array.isArray(stored?.collapsed) ? stored.collapsed : []).filter((id) => known.has(id)),
    enlarged: typeof stored?.enlarged === 'string' && known.has(stored.enlarged) ? stored.enlarged : null,
  };
}

/** Moves a chart one place earlier (-1) or later (+1); at an end it stays. */
export function moveChart(l: ChartLayout, id: string, delta: -1 | 1): ChartLayout {
  const i = l.order.indexOf(id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= l.order.length) return l;
  const order = [...l.order];
  [order[i], order[j]] = [order[j], order[i]];
  return { ...l, order };
}

/** Puts a chart where another one is (drag and drop): the others shift. */
export function placeChart(l: ChartLayout, id: string, at: string): ChartLayout {
  if (id === at || !l.order.includes(id) || !l.order.includes(at)) return l;
  const order = l.order.filter((x) => x !== id);
  order.splice(l.order.indexOf(at), 0, id);
  return { ...l, order };
}

export function toggleCollapsed(l: ChartLayout, id: string): ChartLayout {
  const collapsed = l.collapsed.includes(id) ? l.collapsed.filter((x) => x !== id) : [...l.collapsed, id];
  return { ...l, collapsed, enlarged: l.enlarged === id ? null : l.enlarged };
}

/** One chart at a time is enlarged; enlarging a collapsed chart opens it. */
export function toggleEnlarged(l: ChartLayout, id: string): ChartLayout {
  return l.enlarged === id
    ? { ...l, enlarged: null }
    : { ...l, enlarged: id, collapsed: l.collapsed.filter((x) => x !== id) };
}

export function readLayout(storage: Pick<Storage, 'getItem'> | undefined, ids: readonly string[]): ChartLayout {
  try {
    return fitLayout(JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<ChartLayout> | null, ids);
  } catch {
    return defaultLayout(ids);
  }
}

export function writeLayout(storage: Pick<Storage, 'setItem'> | undefined, l: ChartLayout): void {
  try {
    storage?.setItem(KEY, JSON.stringify(l));
  } catch {
    // storage full or denied: the layout holds for this session
  }
}
