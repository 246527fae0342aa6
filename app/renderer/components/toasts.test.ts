import { describe, expect, it } from 'vitest';
import { noticeAction } from './Toasts.js';

describe("an error notice's action", () => {
  it('is chosen by code: look again for the engine, try a failed action again, nothing for bad input', () => {
    const retry = () => undefined;
    const refresh = () => undefined;
    expect(noticeAction({ message: 'x', code: 'DOCKER_UNAVAILABLE' }, { retry, refresh })).toEqual({
      label: 'Look again',
      run: refresh,
    });
    expect(noticeAction({ message: 'x', code: 'PORT_IN_USE' }, { retry, refresh })).toEqual({
      label: 'Try again',
      run: retry,
    });
    expect(noticeAction({ message: 'x', code: 'BAD_INPUT' }, { retry, refresh })).toBeNull();
  });
});
