/**
 * The NHIS (НЗИС) adapter and the bundled simulator: examination messages X001/X003/X009, e-referrals
 * R001/R007/R009/R015 and e-prescriptions P001/P007/P017, and
 * their replies. The records module drives it from the outbox.
 */
export { createNhisClient, NhisRejectedError, NhisUnavailableError, NhisTokenRequiredError, type NhisClient, type NhisExchange, type NhisTransport, type NhisPresignedChannel, type NhisCardMessages, type CardMessageHeader } from './nhis-client.js';
export { createNhisSimulator, type NhisSimulatorControl, type SimulatedExamination } from './nhis-simulator.js';
export type { DiagnosisEntry, ExaminationClose, ExaminationOpen, ExaminationQuery, FetchedExamination, Performer, Subject } from './nhis-messages.js';
export { parseXml, childrenNamed, child, valueAt, localName, XmlParseError, type XmlElement } from './xml.js';
export { createExpertiseNhisClient, type ExpertiseNhisClient } from './messages/expertise-client.js';
export type { MedicalNoticeMessage, SickLeaveMessage } from './messages/expertise-messages.js';
export type { SimulatedExpertiseRecord } from './messages/expertise-simulator.js';
export { readNomenclatureEntries, type NomenclatureEntry } from './nomenclature.js';
// E-referrals (R001/R007/R009/R015) and e-prescriptions (P001/P007/P017): messages/.
export { createNhisDocumentsClient, type NhisDocumentsClient, type DocumentExchange, type DocumentMessageType } from './messages/documents-client.js';
export type { ReferralIssue, NhisReferralForm, NhisReferralStatus, FetchedReferral, ReferralQuery } from './messages/ereferral.js';
export type { PrescriptionIssue, PrescriptionMedication, NhisPrescriptionStatus, Dispensation, FetchedPrescription } from './messages/eprescription.js';
export type { Requester } from './messages/common.js';
export type { DocumentsSimulatorControl, SimulatedReferral, SimulatedPrescription, ReferralElsewhere, PrescriptionElsewhere } from './messages/documents-simulator.js';
export { buildR001, parseReferralReply, EREFERRAL_PATHS } from './messages/ereferral.js';
export { buildP001, parsePrescriptionReply, EPRESCRIPTION_PATHS } from './messages/eprescription.js';
// The live protocol over HTTP (docs/nhis.md): transport, simulator server, signatures, the connection chosen by config.
export { connectNhis, readSignerFile, type NhisConnection, type NhisConnectionConfig } from './nhis-connection.js';
export { createHttpNhisTransport, type NhisHttpSettings, type SignerFor } from './nhis-http-transport.js';
export { startNhisHttpSimulator, type NhisHttpSimulator, type NhisHttpControl } from './nhis-http-simulator.js';
export { softwareXmlSigner, verifyEnvelopedSignature, type XmlSigner, type SignatureCheck } from './xml-signature.js';
export { createTestPki, type TestPki } from './test-pki.js';
