// An error as the console shows it: what went wrong, then what to do about it (the hint), apart.
import type { ErrorInfo } from '../../contract/errors.js';

export function ErrorBox({ error, testId }: { error: ErrorInfo; testId?: string }) {
  return (
    <div className="error-box" data-testid={testId} data-code={error.code}>
      <pre className="error">{error.message}</pre>
      {error.hint && <p className="hint">{error.hint}</p>}
    </div>
  );
}
