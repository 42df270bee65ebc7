
/**
 * What a document needs before it can be signed, and which document closes which service. Pure.
 */

/**
 * R-TM-40: the document that closes a service — an ambulatory sheet when the patient (or their
 * representative) requested it, a written consultation when a specialist did.
 * @param requesterKind - who requested the service
 * @returns the closing document kind
 */
export function closingKind(requesterKind: 'patient' | 'representative' | 'specialist'): 'ambulatory_sheet' | 'consultation_report' {
  return requesterKind === 'specialist' ? 'consultation_report' : 'ambulatory_sheet';
}

// The signing rules are shared with the web editor, which warns before signing (src/contracts/records-signing.ts).
export { signingIssues } from '../../contracts/records-signing.js';
