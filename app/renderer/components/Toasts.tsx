// Errors as notices in the corner: what went wrong, what to do about it (the error's hint), and an
// action that does it (try the stack action again, look again for the engine). The error stays in
// place in its view too; the notice makes sure it is seen from wherever the user is.
import * as Toast from '@radix-ui/react-toast';
import { Button, Card, Flex, Text } from '@radix-ui/themes';
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../contract/errors.js';
import { useLabSession } from '../hooks/use-lab-session.js';

interface Notice {
  id: number;
  error: ErrorInfo;
  action: { label: string; run: () => void } | null;
}

/** The action a stack error's notice offers, by its code (never by its text). */
export function noticeAction(
  error: ErrorInfo,
  o: { retry: () => void; refresh: () => void },
): { label: string; run: () => void } | null {
  switch (error.code) {
    case 'DOCKER_UNAVAILABLE':
      return { label: 'Look again', run: o.refresh };
    case 'BAD_INPUT':
    case 'NO_SUCH_SERVICE':
      return null; // trying the same input again fails the same way
    default:
      return { label: 'Try again', run: o.retry };
  }
}

export function ErrorToasts() {
  const { stack, run } = useLabSession();
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(1);
  const push = (error: ErrorInfo, action: Notice['action']) =>
    setNotices((n) => [...n.slice(-2), { id: next.current++, error, action }]);

  const { error: stackError, retry, refresh } = stack;
  useEffect(() => {
    if (stackError) push(stackError, noticeAction(stackError, { retry, refresh: () => void refresh() }));
  }, [stackError, retry, refresh]);
  useEffect(() => {
    if (run.error) push({ message: run.error }, null);
  }, [run.error]);

  return (
    <Toast.Provider swipeDirection="right" duration={12_000}>
      {notices.map((n) => (
        <Toast.Root
          key={n.id}
          className="toast"
          data-testid="toast"
          data-code={n.error.code}
          onOpenChange={(open) => {
            if (!open) setNotices((all) => all.filter((x) => x.id !== n.id));
          }}
        >
          <Card size="2">
            <Flex direction="column" gap="2">
              <Toast.Title asChild>
                <Text weight="bold" color="red" className="toast-title">
                  {n.error.message.split('\n')[0]}
                </Text>
              </Toast.Title>
              {n.error.hint && (
                <Toast.Description asChild>
                  <Text size="2">{n.error.hint}</Text>
                </Toast.Description>
              )}
              <Flex gap="2" justify="end">
                {n.action && (
                  <Toast.Action altText={n.action.label} asChild>
                    <Button size="1" onClick={n.action.run} data-testid="toast-action">
                      {n.action.label}
                    </Button>
                  </Toast.Action>
                )}
                <Toast.Close asChild>
                  <Button size="1" variant="soft" color="gray">
                    Dismiss
                  </Button>
                </Toast.Close>
              </Flex>
            </Flex>
          </Card>
        </Toast.Root>
      ))}
      <Toast.Viewport className="toast-viewport" />
    </Toast.Provider>
  );
}
