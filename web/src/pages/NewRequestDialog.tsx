import { useState } from 'react';
import { Dialog } from '../components/Dialog';
import { useI18n } from '../i18n';
import { createReadRequest } from '../api/readRequests';
import { errorMessage } from '../api/http';
import { PRIORITIES, type Priority } from '../api/types';
import type { StudySummary } from '../api/studies';
import { navigate } from '../router';

/** Creating a read request for one study; priors are offered from the same patient's other studies. */
export function NewRequestDialog({ study, others, onClose }: { study: StudySummary | null; others: StudySummary[]; onClose: () => void }) {
  const { t, dicomDate } = useI18n();
  const [priority, setPriority] = useState<Priority>('routine');
  const [question, setQuestion] = useState('');
  const [indication, setIndication] = useState('');
  const [bodyPart, setBodyPart] = useState('');
  const [priors, setPriors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const candidates = study ? others.filter((o) => o.patientId === study.patientId && o.studyInstanceUid !== study.studyInstanceUid) : [];

  const submit = async () => {
    if (!study) return;
    if (!question.trim()) {
      setError(t('newRequest.questionRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await createReadRequest({
        studyInstanceUid: study.studyInstanceUid,
        priority,
        clinicalQuestion: question.trim(),
        indication: indication.trim() || undefined,
        bodyPart: bodyPart.trim() || undefined,
        priorStudyInstanceUids: priors,
      });
      navigate(`/requests/${encodeURIComponent(created.id)}`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={study !== null} title={t('newRequest.title')} submitLabel={t('newRequest.submit')} busy={busy} error={error} onSubmit={() => void submit()} onClose={onClose}>
      {study && (
        <>
          <p className="muted">
            {study.patientName || study.patientId} · {dicomDate(study.studyDate)} · {study.modalities.join('/')} {study.description}
          </p>
          <fieldset className="priority-choice">
            <legend>{t('newRequest.priority')}</legend>
            {PRIORITIES.map((p) => (
              <label key={p}>
                <input type="radio" name="priority" value={p} checked={priority === p} onChange={() => setPriority(p)} />
                {t(`priority.${p}`)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('newRequest.question')}
            <textarea required rows={3} value={question} onChange={(e) => setQuestion(e.target.value)} />
          </label>
          <label>
            {t('newRequest.indication')}
            <textarea rows={2} value={indication} onChange={(e) => setIndication(e.target.value)} />
          </label>
          <label>
            {t('newRequest.bodyPart')}
            <input value={bodyPart} onChange={(e) => setBodyPart(e.target.value)} placeholder={t('newRequest.bodyPartHint')} />
          </label>
          {candidates.length > 0 && (
            <fieldset>
              <legend>{t('newRequest.priors')}</legend>
              {candidates.map((c) => (
                <label key={c.studyInstanceUid} className="check">
                  <input
                    type="checkbox"
                    checked={priors.includes(c.studyInstanceUid)}
                    onChange={(e) => setPriors((p) => (e.target.checked ? [...p, c.studyInstanceUid] : p.filter((u) => u !== c.studyInstanceUid)))}
                  />
                  {dicomDate(c.studyDate)} · {c.modalities.join('/')} {c.description}
                </label>
              ))}
            </fieldset>
          )}
        </>
      )}
    </Dialog>
  );
}
