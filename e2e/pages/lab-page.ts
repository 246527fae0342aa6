// Page object of the console: what a user does, in the words of the UI, so specs read as steps.
import type { Page } from 'playwright-core';

export class LabPageObject {
  constructor(readonly page: Page) {}

  private id(testId: string) {
    return this.page.locator(`[data-testid="${testId}"]`);
  }

  async choosePreset(name: string) {
    await this.id(`preset-${name}`).click();
  }
  async setNumber(field: string, value: number) {
    await this.id(`field-${field}`).fill(String(value));
  }
  async setChecked(field: string, on: boolean) {
    await this.id(`field-${field}`).setChecked(on);
  }

  async bringUp(timeoutMs = 150_000) {
    await this.id('stack-up').click();
    // Done when no stack action is busy any more: "Take down" is there and enabled.
    await this.page.waitForSelector('[data-testid="stack-down"]:not([disabled])', { timeout: timeoutMs });
    const error = this.id('stack-error');
    if (await error.count()) throw new Error(`bringing up failed in the UI: ${await error.textContent()}`);
  }

  async apply() {
    await this.id('stack-apply').click();
    await this.page.waitForSelector('[data-testid="stack-down"]:not([disabled])', { timeout: 90_000 });
    const error = this.id('stack-error');
    if (await error.count()) throw new Error(`the apply failed in the UI: ${await error.textContent()}`);
    const invalid = this.id('topology-invalid');
    if (await invalid.count()) throw new Error(`the topology was refused in the UI: ${await invalid.textContent()}`);
  }

  /** Picks an option of a design-system select by its label. */
  async choose(testId: string, option: string) {
    await this.id(testId).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  async startLoad(workload: string, rate?: number) {
    await this.choose('workload', workload);
    if (rate !== undefined) await this.id('rate').fill(String(rate));
    await this.id('run-start').click();
    await this.page.waitForSelector('[data-testid="run-state"]:has-text("running")', { timeout: 20_000 });
  }

  async stopLoad() {
    await this.id('run-stop').click();
    await this.page.waitForSelector('[data-testid="run-start"]', { timeout: 30_000 });
  }

  async waitForPoints(n: number, timeoutMs = 30_000) {
    // Polled from here: the console's CSP (rightly) forbids evaluating strings in the page.
    const end = Date.now() + timeoutMs;
    while (Number(await this.id('chart-throughput').getAttribute('data-points')) < n) {
      if (Date.now() > end) throw new Error(`the charts did not reach ${n} points in ${timeoutMs} ms`);
      await this.page.waitForTimeout(250);
    }
  }

  /** Waits for a marker's label on the throughput chart, scrolled into view first: a chart out of
   *  view draws nothing (an Apply at the foot of the controls scrolls the page down). */
  async waitForMarker(text: string, timeoutMs = 10_000) {
    await this.id('chart-throughput').scrollIntoViewIfNeeded();
    await this.page.waitForSelector(`[data-testid="chart-throughput"] :text("${text}")`, { timeout: timeoutMs });
  }

  async figure(name: string): Promise<number> {
    return Number.parseFloat((await this.id(`figure-${name}`).textContent()) ?? '');
  }

  async waitForFigure(name: string, pred: (v: number) => boolean, timeoutMs = 30_000) {
    const end = Date.now() + timeoutMs;
    let last = NaN;
    while (Date.now() < end) {
      last = await this.figure(name);
      if (pred(last)) return last;
      await this.page.waitForTimeout(500);
    }
    throw new Error(`figure ${name} never met the condition (last ${last})`);
  }

  async fault(service: string, kind: string) {
    // A node's actions are in its menu.
    await this.id(`node-menu-${service}`).click();
    await this.id(`fault-${service}-${kind}`).click();
  }
  node(service: string) {
    return this.id(`node-${service}`);
  }

  async openWorkshop() {
    await this.id('workshop-toggle').click();
    await this.id('workshop').waitFor();
  }
  async lessonTitle() {
    return (await this.id('lesson-title').textContent()) ?? '';
  }
  async setUpLesson() {
    await this.id('lesson-setup').click();
  }
  /** A shortcut key, pressed with nothing focused (keys are ignored while typing in a field). */
  async key(k: string) {
    await this.page.locator('.sidebar .brand').click();
    await this.page.keyboard.press(k);
  }

  async openHistory() {
    await this.id('tab-history').click();
    await this.id('runs').waitFor();
  }
  async openLab() {
    await this.id('tab-lab').click();
  }
  async compareFirstTwo() {
    const boxes = this.page.locator('[data-testid^="pick-"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await this.id('compare').click();
    await this.id('comparison').waitFor();
  }
}
