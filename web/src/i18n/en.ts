// English strings. This dictionary defines the keys; every other one is built with `dictionary()`, whose type makes the
// compiler refuse a missing key, an extra key, an empty string or a string whose {placeholders} differ from the English
// one (tsc runs in every build). {name} placeholders are filled by t(key, {name}).
export const en = {
  'app.name': 'RadBridge',
  'app.meFailed': 'Your account could not be loaded: {message}',

  'nav.label': 'Main',
  'nav.skip': 'Skip to content',
  'nav.portal': 'Clinic portal',
  'nav.worklist': 'Worklist',
  'nav.admin': 'Administration',
  'nav.language': 'Language',
  'nav.signOut': 'Sign out',

  'role.admin': 'Administrator',
  'role.technologist': 'Technologist',
  'role.radiologist': 'Radiologist',
  'role.expert': 'Expert',
  'role.trainee': 'Trainee',
  'role.auditor': 'Auditor',

  'common.loading': 'Loading…',
  'common.cancel': 'Cancel',
  'common.save': 'Save',
  'common.all': 'All',
  'common.reason': 'Reason',
  'common.reasonRequired': 'Please give a reason.',

  'signIn.tagline': 'Tele-reading for the partnership: clinics scan, the centre reads, reports come back.',
  'signIn.button': 'Sign in',
  'signIn.hint': 'You sign in on the server’s login page with your user name and password.',
  'signIn.completing': 'Signing you in…',
  'signIn.failed': 'Sign-in failed: {message}',
  'signIn.again': 'Try again',

  'notFound.title': 'Page not found',
  'notFound.home': 'Go to your start page',
  'nothing.title': 'Nothing to show',
  'nothing.text': 'Your role has no page here. Ask your administrator if you think that is wrong.',

  'live.connecting': 'Connecting…',
  'live.live': 'Live',
  'live.offline': 'Offline – reload for updates',

  'priority.stat': 'STAT',
  'priority.urgent': 'Urgent',
  'priority.routine': 'Routine',

  'status.requested': 'Requested',
  'status.assigned': 'Assigned',
  'status.inReading': 'In reading',
  'status.preliminary': 'Preliminary',
  'status.signed': 'Signed',
  'status.delivered': 'Delivered',
  'status.returned': 'Returned',
  'status.cancelled': 'Cancelled',
  'status.amended': 'Amended',

  'reportStatus.draft': 'draft',
  'reportStatus.preliminary': 'preliminary',
  'reportStatus.final': 'final',

  'sla.ok': 'on time',
  'sla.warning': 'due soon',
  'sla.breached': 'overdue',
  'sla.met': 'Met',

  'col.priority': 'Priority',
  'col.patient': 'Patient',
  'col.patientId': 'Patient ID',
  'col.study': 'Study',
  'col.status': 'Status',
  'col.slaLeft': 'Time left',
  'col.created': 'Created',
  'col.notes': 'Notes',
  'col.date': 'Date',
  'col.modality': 'Modality',
  'col.description': 'Description',
  'col.instances': 'Images',
  'col.actions': 'Actions',
  'col.clinic': 'Clinic',
  'col.assignee': 'Reader',

  'facts.sexBirth': 'Sex · birth date',
  'facts.accession': 'Accession number',
  'facts.question': 'Clinical question',
  'facts.indication': 'Indication',
  'facts.priors': 'Prior studies',
  'facts.due': 'Due',

  'critical.banner': 'Critical finding: the reader asks you to acknowledge it.',
  'critical.acknowledge': 'Acknowledge critical finding',
  'critical.acknowledged': 'Critical finding acknowledged by {by} at {at}.',
  'critical.pending': 'Critical – acknowledge',
  'critical.short': 'Critical',

  'portal.title': 'Clinic portal',
  'portal.tabRequests': 'Read requests',
  'portal.tabStudies': 'Studies',
  'portal.tabUpload': 'Upload',
  'portal.noRequests': 'No read requests yet. Upload a study, then request a reading from the Studies tab.',
  'portal.returnedBecause': 'Returned: {reason}',

  'studies.search': 'Patient name',
  'studies.searchButton': 'Search',
  'studies.none': 'No studies.',
  'studies.requestReading': 'Request reading',

  'upload.title': 'Upload a study',
  'upload.drop': 'Drop a study folder here, or choose it.',
  'upload.pickFolder': 'Choose folder',
  'upload.pickFiles': 'Choose files',
  'upload.checking': 'Checking files…',
  'upload.progress': 'Upload progress',
  'upload.counts': '{done} of {total} files · {percent}%',
  'upload.stop': 'Stop',
  'upload.aborted': 'Upload stopped.',
  'upload.result': '{stored} files stored, {failed} failed.',
  'upload.skipped': '{count} files are not DICOM and were skipped',
  'upload.failedTitle': 'Failed files ({count})',
  'upload.networkError': 'network error',
  'upload.retryFailed': 'Retry the {count} failed files',
  'upload.uploadedStudies': 'Uploaded studies',

  'newRequest.title': 'Request a reading',
  'newRequest.priority': 'Priority',
  'newRequest.question': 'Clinical question',
  'newRequest.questionRequired': 'Please write the clinical question.',
  'newRequest.indication': 'Indication',
  'newRequest.bodyPart': 'Body part',
  'newRequest.bodyPartHint': 'e.g. CHEST',
  'newRequest.priors': 'Prior studies to compare',
  'newRequest.submit': 'Send request',

  'request.title': 'Read request',
  'request.back': 'Back to the portal',
  'request.cancel': 'Cancel request',
  'request.cancelledBecause': 'Cancelled: {reason}',
  'request.report': 'Report',
  'request.noReport': 'No signed report yet.',
  'request.signedBy': 'Signed by {by}, {at}',
  'request.version': 'version {version}',
  'request.amendedBecause': 'amended: {reason}',
  'request.downloadPdf': 'Download PDF',
  'request.resubmit': 'Send again',
  'request.print': 'Print',

  'worklist.title': 'Worklist',
  'worklist.count': '{shown} of {total}',
  'worklist.scopeOpen': 'Open',
  'worklist.mine': 'Mine only',
  'worklist.empty': 'No requests match.',
  'worklist.claim': 'Claim',
  'worklist.release': 'Release',
  'worklist.open': 'Open',

  'viewer.label': 'Image viewer',
  'viewer.loading': 'Loading the viewer…',

  'read.title': 'Report',
  'read.back': 'Back to the worklist',
  'read.claim': 'Claim and start reading',
  'read.claimToWrite': 'Claim the request to write the report.',
  'read.return': 'Return to clinic',
  'read.amend': 'Amend',
  'read.preliminary': 'Issue preliminary',
  'read.sign': 'Sign',
  'read.reportForm': 'Report',

  'report.template': 'Template',
  'report.noTemplate': 'No template',
  'report.language': 'Report language',
  'report.findings': 'Findings',
  'report.impression': 'Impression',
  'report.structured': 'Structured fields',
  'report.critical': 'Critical finding (the clinic must acknowledge it)',
  'report.replaceConfirm': 'Replace the findings and impression with the template?',
  'report.saving': 'Saving…',
  'report.unsaved': 'Unsaved changes',
  'report.saved': 'Saved {at}',
  'report.saveFailed': 'Not saved: {message}',
  'report.version': 'Version {version} ({status})',

  'sign.title': 'Sign the report',
  'sign.explain': 'Signing makes the report final and sends it to the clinic. Enter your password to confirm it is you.',
  'sign.criticalNote': 'The report is flagged critical: the clinic will be asked to acknowledge it.',
  'sign.password': 'Password',
  'sign.passwordRequired': 'Please enter your password.',
  'sign.saveFirst': 'The draft could not be saved, so nothing was issued.',

  'return.explain': 'The request goes back to the clinic with your reason (e.g. poor image quality, missing series).',

  'setup.title': 'Reading setup',
  'setup.readers': 'Readers',
  'setup.onDuty': 'On duty',
  'setup.onDutyOf': '{user} on duty',
  'setup.subspecialties': 'Subspecialties',
  'setup.subspecialtiesOf': 'Subspecialties of {user}',
  'setup.openAssigned': 'Open assigned',
  'setup.rules': 'Routing rules',
  'setup.rulesExplain': 'A new request goes to the least loaded reader on duty of the first rule that matches its modality, body part and subspecialty (empty matches anything); with no match it waits in the pool.',
  'setup.subspecialty': 'Subspecialty',
  'setup.ruleReaders': 'Readers (comma-separated)',
  'setup.addRule': 'Add rule',
  'setup.removeRule': 'Remove',
  'setup.saveRules': 'Save rules',
  'setup.saved': 'Saved.',
  'admin.title': 'Administration',
  'admin.organizations': 'Organisations',
  'admin.users': 'Users',
  'admin.aes': 'AEs',
  'admin.addOrganization': 'Add organisation',
  'admin.addUser': 'Add user',
  'admin.addAe': 'Register AE',
  'admin.setPassword': 'Set password',
  'admin.name': 'Name',
  'admin.kind': 'Kind',
  'admin.centre': 'Centre hospital',
  'admin.clinic': 'Clinic',
  'admin.isCentre': 'Centre hospital (its readers report for the clinics)',
  'admin.organization': 'Organisation',
  'admin.userName': 'User name',
  'admin.role': 'Role',
  'admin.password': 'Password',
  'admin.newPassword': 'New password',
  'admin.lockedOut': 'Locked out until',
  'admin.aeTitle': 'AE title',
  'admin.address': 'Address',
  'admin.host': 'Host (for C-MOVE)',
  'admin.port': 'Port',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

/** The names of the {placeholders} of a string literal type, as a union. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Each entry of a translation checked against the English one; a wrong entry's type becomes the message to fix it. */
type Checked<T> = {
  [K in keyof T]: K extends MessageKey
    ? T[K] extends ''
      ? 'must not be empty'
      : T[K] extends string
        ? Same<Placeholders<T[K]>, Placeholders<(typeof en)[K]>> extends true
          ? T[K]
          : `must have the placeholders of the English text: ${(typeof en)[K]}`
        : never
    : 'is not a key of en.ts';
};

/** Declares a translation: all of en.ts's keys, no other, none empty, the same placeholders in each (compile time). */
export function dictionary<const T extends Messages>(messages: T & Checked<T>): Messages {
  return messages;
}
