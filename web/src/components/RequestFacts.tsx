import { useI18n } from '../i18n';
import type { ReadRequestView } from '../api/types';

/** The request's patient, study and clinical facts as a definition list (shared by the clinic and reader pages). */
export function RequestFacts({ r }: { r: ReadRequestView }) {
  const { t, dateTime, dicomDate } = useI18n();
  const rows: [string, string | null | undefined][] = [
    [t('col.patient'), r.patientName],
    [t('col.patientId'), r.patientId],
    [t('facts.sexBirth'), [r.patientSex, dicomDate(r.patientBirthDate)].filter(Boolean).join(' · ')],
    [t('col.study'), [r.modality, r.bodyPart, dicomDate(r.studyDate), r.studyDescription].filter(Boolean).join(' · ')],
    [t('facts.accession'), r.accessionNumber],
    [t('col.clinic'), r.clinic.name],
    [t('facts.question'), r.clinicalQuestion],
    [t('facts.indication'), r.indication],
    [t('facts.priors'), r.priorStudyInstanceUids.length > 0 ? String(r.priorStudyInstanceUids.length) : null],
    [t('col.assignee'), r.assignee],
    [t('col.created'), `${dateTime(r.createdAt)} · ${r.createdBy}`],
    [t('facts.due'), dateTime(r.dueAt)],
  ];
  return (
    <dl className="facts">
      {rows
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}
