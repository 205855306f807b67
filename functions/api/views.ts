/** How an application is shown to people: masked applicant, no internal keys, its timeline. */
import type { Application, HistoryEvent } from '../domain/lifecycle.js';

export function applicationView(application: Application, history?: HistoryEvent[]) {
  const { applicantKey: _key, eventSeq: _seq, ...shown } = application;
  return history ? { ...shown, history } : shown;
}
