import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n';

/**
 * A modal form on the native <dialog>: the browser traps focus, Escape closes it, and the page behind is inert —
 * accessible without a library.
 */
export function Dialog(props: {
  open: boolean;
  title: string;
  submitLabel: string;
  busy?: boolean;
  error?: string | null;
  danger?: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };
  return (
    <dialog ref={ref} onClose={props.onClose} aria-labelledby="dialog-title">
      {props.open && (
        <form onSubmit={submit}>
          <h2 id="dialog-title">{props.title}</h2>
          {props.children}
          {props.error && <p role="alert" className="error">{props.error}</p>}
          <div className="dialog-buttons">
            <button type="button" onClick={props.onClose}>{t('common.cancel')}</button>
            <button type="submit" className={props.danger ? 'danger' : 'primary'} disabled={props.busy}>
              {props.submitLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
