import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './platform/config.js';
import { systemClock, toDate, type Clock } from './platform/clock.js';
import { systemIds, type IdGen } from './platform/ids.js';
import { openDatabase, type Database, type DatabaseTarget } from './platform/db/index.js';
import { migrate } from './platform/db/migrate.js';
import { createOutbox, type Outbox } from './platform/outbox/outbox.js';
import { createOpsService } from './modules/ops/index.js';
import { createAuditLog, type AuditLog } from './platform/audit/audit-log.js';
import { configuredHeadExporters, createHeadExport } from './platform/audit/audit-heads.js';
import { auditKeysFrom } from './platform/audit/audit-keys.js';
import { fileKeyStore } from './platform/crypto/key-store.js';
import { createKeyring } from './platform/crypto/keyring.js';
import { loadWorkingCalendar } from './platform/calendar-store.js';
import { createPatientsService } from './modules/patients/index.js';
import { createAccessPolicy, createAccessService, SUPERVISION_NOTIFY } from './modules/access/index.js';
import { createNhisDirectorySimulator, createNhisRegistration, createRegistryService, NHIS_FACILITY_SYNC } from './modules/registry/index.js';
import { createSchedulingService, createSlotRollForward } from './modules/scheduling/index.js';
import { createDirectoryCache, createDirectoryService, createFhirDirectory, invalidateDirectoryAfterWrites } from './modules/directory/index.js';
import { createFhirClinical, createFhirPatients } from './modules/fhir/index.js';
import { ACTIVATION_MAIL, REGISTRATION_MAIL, createIdentityService, createStaffAccountsService, PASSWORD_RESET_MAIL, STAFF_CHANGE_NOTICE } from './modules/identity/index.js';
import { channelNotifier, createNotificationsService, fileSinkNotifier, httpSmsNotifier, smtpNotifier, unconfiguredNotifier } from './modules/notifications/index.js';
import { createRequestsService, readRequestVisitsIn, type BookingReferrals } from './modules/requests/index.js';
import { createAuditTrailService } from './modules/audit-trail/index.js';
import { createDeadlinesService, createNhisSubmissionHandler, createPractitionerSigner, createRecordsService, DEADLINE_CHECK, DEADLINE_NOTIFY, NHIS_SUBMIT } from './modules/records/index.js';
import { loadServerQualifiedSigning } from './modules/signing/index.js';
import { connectNhis, createNhisClient, createNhisDocumentsClient } from './modules/nhis/index.js';
import { systemCtx } from './platform/auth/request-context.js';
import { createAdmissibilityService, createConsentService, RECORDING_CONSENT_WITHDRAWN } from './modules/consent/index.js';
import { createInsuranceRegistrySimulator, createInsuranceService, INSURANCE_NOTICE_DUE } from './modules/insurance/index.js';
import { createGpRestoreJob, createGpService } from './modules/gp/index.js';
import { createEncountersService } from './modules/encounters/index.js';
import { createExpertiseNhisHandler, createSickLeaveService, EXPERTISE_DEADLINE_NOTIFY, EXPERTISE_NHIS } from './modules/sick-leave/index.js';
import { createExpertiseNhisClient } from './modules/nhis/index.js';
import { createPeriodicRunner } from './platform/periodic.js';
import { createApiClientsService } from './modules/api-clients/index.js';
import { BACKUP_ALERT, configuredTargets, createBackupService } from './modules/backup/index.js';
import { createPracticeService, createProphylaxisReminderJob, manualPaymentProvider, PROPHYLAXIS_REMINDER } from './modules/practice/index.js';
import { createRegistrationService } from './modules/registration/index.js';
import { createCalendarService } from './modules/calendar/index.js';
import { createReferralsService, NHIS_DOCUMENT as REFERRALS_NHIS, readIssuedReferralsIn } from './modules/referrals/index.js';
import { createConsultationService, createMemorySignalBus, createPgSignalBus, createSignallingHub, type ConsultationGates, type ConsultationService, type RequestLifecycle, type SignalBus, requestLifecycleVia } from './modules/consultation/index.js';

export interface DepsOverrides {
  clock?: Clock;
  ids?: IdGen;
  /** A database opened by the caller (tests); it is not closed by `close()`. */
  database?: Database;
  /** Consultation: gates and request lifecycle doubles for tests of the channel alone. */
  consultationPorts?: { gates?: ConsultationGates; lifecycle?: RequestLifecycle };
}

/**
 * The composition root: the only place that wires the database, clock, audit and services (STYLE C6).
 * @param config - parsed configuration
 * @param log - the process logger
 * @param overrides - test doubles
 * @returns every dependency the app needs, and `close()`
 */
export async function createDeps(config: Config, log: Logger, overrides: DepsOverrides = {}) {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? systemIds;
  const target: DatabaseTarget = config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL.reveal() } : { kind: 'pglite', dataDir: config.DATA_DIR };
  const database = overrides.database ?? (await openDatabase(target, log));
  if (config.MIGRATE_ON_START && !overrides.database) {
    const applied = await migrate(database.pool);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  }
  const db = database.db;
  const outbox: Outbox = createOutbox({ db, clock, ids, log });
  const keyStore = fileKeyStore(config.KEY_DIR);
  // Security: the audit key and the head-signing key live in the key store, never in the database (docs/audit.md).
  const auditKeys = auditKeysFrom(keyStore, { create: true });
  const audit: AuditLog = createAuditLog({ db, clock, ids, keys: auditKeys });
  // Regulatory: signed chain heads go to the second location (docs/decisions.md#d12); started by the server.
  const auditHeads = createHeadExport({
    pool: database.pool,
    clock,
    keys: auditKeys,
    exporters: configuredHeadExporters({ dir: config.AUDIT_HEAD_EXPORT_DIR, databaseUrl: config.AUDIT_HEAD_EXPORT_DATABASE_URL?.reveal() }),
  });

  const keyring = createKeyring({ store: keyStore, clock, ids });
  const calendar = await loadWorkingCalendar(db);

  const ops = createOpsService({ database });
  const accessPolicy = createAccessPolicy({ clock, audit });
  const patients = createPatientsService({ db, clock, ids, keyring, audit, policy: accessPolicy });
  const access = createAccessService({ db, clock, ids, keyring, audit, policy: accessPolicy, patients, outbox });
  const auditTrail = createAuditTrailService({ db, clock, audit, policy: accessPolicy });
  // Public directory: answers are cached briefly; every registry, schedule and booking write of
  // this process forgets them when it finishes (docs/registry.md#directory-performance).
  const directoryCache = createDirectoryCache({ clock, ttlSeconds: config.DIRECTORY_CACHE_SECONDS ?? (database.kind === 'pglite' ? 60 : 15) });
  // Art. 24 (R-TM-34): every change to what a facility publishes queues a sync of its entry in the NHIS
  // telemedicine database (the bundled simulator: no public NHIS message is known, docs/registry.md).
  const nhisDirectory = createNhisDirectorySimulator();
  const nhisRegistration = createNhisRegistration({ db, clock, ids, audit, outbox, directory: nhisDirectory.directory, log, zone: config.DEFAULT_TIME_ZONE });
  outbox.on(NHIS_FACILITY_SYNC, (msg) => nhisRegistration.handleSync(msg));
  const onPublicChange = nhisRegistration.queueSync;
  const registry = invalidateDirectoryAfterWrites(createRegistryService({ db, clock, ids, audit, defaultTimeZone: config.DEFAULT_TIME_ZONE, onPublicChange }), directoryCache, [
    'getReferenceData', 'listManagedFacilities', 'getFacility', 'listCertificates', 'listPractitioners', 'findPractitionerByUin', 'listServices', 'listCentres', 'getCentre', 'listEmergencyContracts', 'findActiveEmergencyContract', 'within',
  ]);
  // Art. 15 item 4: slots are materialised SLOT_HORIZON_DAYS ahead and rolled forward daily (started by the server).
  const scheduling = invalidateDirectoryAfterWrites(createSchedulingService({ db, clock, ids, audit, calendar, horizonDays: config.SLOT_HORIZON_DAYS, log, onPublicChange }), directoryCache, ['listSchedules', 'listExceptions']);
  const slotRoll = createSlotRollForward({ db, clock, ids, log, scheduling, zone: config.DEFAULT_TIME_ZONE, at: config.SLOT_EXTEND_TIME });
  const directory = createDirectoryService({ db, pool: database.pool, clock, cache: directoryCache });
  const identity = createIdentityService({ db, clock, ids, keyring, audit, outbox, config });
  // Staff accounts: facility administrators manage their facility's accounts.
  const staffAccounts = createStaffAccountsService({ db, clock, keyring, audit, identity });
  // Requests: e-mail and SMS behind one Notifier; the dev sink replaces both for the demo.
  // Security: the demo's sink writes DATA_DIR/outbox/*.eml and serves nothing over HTTP.
  const notifier = config.DEV_MAIL_SINK
    ? fileSinkNotifier({ dir: join(config.DATA_DIR, 'outbox'), log, clock, from: config.MAIL_FROM })
    : channelNotifier({
        email: config.SMTP_URL ? smtpNotifier({ url: config.SMTP_URL, from: config.MAIL_FROM }) : unconfiguredNotifier('email'),
        sms: config.SMS_GATEWAY_URL ? httpSmsNotifier({ url: config.SMS_GATEWAY_URL, token: config.SMS_GATEWAY_TOKEN, sender: config.SMS_SENDER }) : unconfiguredNotifier('sms'),
      });
  const notifications = createNotificationsService({ db, clock, ids, keyring, notifier });
  // Art. 21: the facility and the patient are told when a supervision case opens or closes (docs/access.md).
  outbox.on(SUPERVISION_NOTIFY, (msg) => access.handleSupervisionNotify(msg, (d) => notifications.deliver(d)));
  outbox.on(PASSWORD_RESET_MAIL, (msg) =>
    identity.sendPasswordResetMail(msg, async (mail) => {
      await notifications.deliver({ sourceId: mail.sourceId, requestId: null, facilityId: null, recipients: [{ channel: 'email', accountId: mail.accountId }], message: mail.message });
    }),
  );
  // Staff activation (docs/identity.md): the link to the person, the notice to the other administrators.
  outbox.on(ACTIVATION_MAIL, (msg) =>
    identity.sendActivationMail(msg, async (mail) => {
      await notifications.deliver({ sourceId: mail.sourceId, requestId: null, facilityId: null, recipients: [{ channel: 'email', accountId: mail.accountId }], message: mail.message });
    }),
  );
  outbox.on(STAFF_CHANGE_NOTICE, (msg) =>
    identity.sendStaffChangeNotice(msg, async (mail) => {
      await notifications.deliver({ sourceId: mail.sourceId, requestId: null, facilityId: mail.facilityId, recipients: [{ channel: 'email', accountId: mail.accountId }], message: mail.message });
    }),
  );
  // Consent, identity verification and admissibility: the gates of every service.
  const consent = createConsentService({ db, clock, ids, audit, keyring, outbox, policy: accessPolicy, stepUp: identity, onListenerError: (err) => log.error({ err }, 'recording-consent withdrawal listener failed; the outbox retries') });
  const admissibility = createAdmissibilityService({ db, clock, ids, audit, keyring, policy: accessPolicy });
  // Records: the NHIS over HTTPS when NHIS_BASE_URL is set, else the bundled simulator (in process, or
  // over loopback HTTP with signed messages: docs/nhis.md). Submissions and deadline checks are outbox handlers.
  const nhisConnection = await connectNhis(config, { clock, ids });
  const nhisSimulator = { transport: nhisConnection.transport, control: nhisConnection.simulator };
  const nhisSystem = config.NHIS_SENDER_IS_NAME;
  const nhis = createNhisClient({ transport: nhisSimulator.transport, clock, ids, systemName: nhisSystem });
  // Qualified signatures (КЕП, docs/records.md#signatures): trusted CAs, and an HSM when PKCS11_MODULE is set.
  const qualified = await loadServerQualifiedSigning({ caBundleFile: config.SIGNING_CA_BUNDLE, module: config.PKCS11_MODULE, tokenLabel: config.PKCS11_TOKEN_LABEL, pinFile: config.PKCS11_PIN_FILE }, () => toDate(clock.now()));
  const nhisDocuments = createNhisDocumentsClient({ transport: nhisSimulator.transport, clock, ids, systemName: nhisSystem });
  const records = createRecordsService({ db, clock, ids, keyring, audit, policy: accessPolicy, patients, outbox, stepUp: identity, publicUrl: config.PUBLIC_URL, qualified, nhis, nationalRecord: { examinations: nhis, documents: nhisDocuments } });
  const deadlines = createDeadlinesService({ db, clock, calendar, keyring, audit, outbox, notifications, patients, log });
  outbox.on(NHIS_SUBMIT, createNhisSubmissionHandler({ db, clock, ids, keyring, audit, nhis }));
  // Insurance status (R-NHIF-01): the NRA registry is reached through the bundled simulator (a live
  // adapter needs the practice's qualified certificate); answers are cached per person and day.
  // Foreigners' policies and insured events (R-INS-*); who pays for a booking (R-PC-13), used by requests.
  const insuranceSimulator = createInsuranceRegistrySimulator();
  const insurance = createInsuranceService({ db, clock, ids, keyring, audit, outbox, policy: accessPolicy, patients, registry: insuranceSimulator.registry, zone: config.DEFAULT_TIME_ZONE, timeoutMs: 5_000 });
  outbox.on(INSURANCE_NOTICE_DUE, (msg) => insurance.handleNoticeDue(msg));
  // W14: an NHIF-paid specialist booking takes the patient's referral; late-bound, referrals is built below.
  const bookingReferrals: BookingReferrals = {
    reserveForBooking: (ctx, q) => referrals.reserveForBooking(ctx, q),
    releaseForRequest: (ctx, requestId) => referrals.releaseForRequest(ctx, requestId),
    releaseForRequestIn: (q, ctx, requestId) => referrals.releaseForRequestIn(q, ctx, requestId),
  };
  const requests = invalidateDirectoryAfterWrites(
    createRequestsService({ db, pool: database.pool, clock, ids, keyring, audit, outbox, policy: accessPolicy, access, notifications, patients, admissibility, documentation: { startDeadline: deadlines.startDeadline, assertCanClose: records.assertCanClose }, payment: insurance, referrals: bookingReferrals }),
    directoryCache,
    ['getRequest', 'patientBanner', 'revealPatientIdentifier', 'listMyRequests', 'worklist', 'getAttachment', 'listEmergencyTargets', 'getRota', 'registerOutboxHandlers'],
  );
  requests.registerOutboxHandlers();
  outbox.on(DEADLINE_CHECK, (msg) => deadlines.handleCheck(msg));
  outbox.on(DEADLINE_NOTIFY, (msg) => deadlines.handleNotify(msg));
  // Consultation: signalling crosses server processes over PostgreSQL LISTEN/NOTIFY; PGlite
  // is one process, so its bus is in memory.
  const signalBus: SignalBus =
    database.kind === 'postgres' && config.SIGNAL_BUS !== 'memory' ? await createPgSignalBus({ pool: database.pool, ids, clock, log }) : createMemorySignalBus(ids.uuid());
  // Tricky: the hub needs the service (joins, statistics) and the service the hub (live events).
  const consultationRef: { current?: ConsultationService } = {};
  const signalling = createSignallingHub({
    bus: signalBus,
    log,
    sessionIsLive: async (token) => Boolean(await identity.resolveSession(token)),
    now: () => clock.now().epochMilliseconds,
    service: () => {
      if (!consultationRef.current) throw new Error('consultation service not ready');
      return consultationRef.current;
    },
  });
  const consultation = createConsultationService({
    db,
    clock,
    ids,
    audit,
    keyring,
    gates: overrides.consultationPorts?.gates ?? admissibility,
    lifecycle: overrides.consultationPorts?.lifecycle ?? requestLifecycleVia(requests),
    events: signalling.events,
    ice: { stunUrls: config.STUN_URLS, turnUrls: config.TURN_URLS, turnSecret: config.TURN_SECRET?.reveal(), turnTtlSeconds: config.TURN_CREDENTIAL_TTL_SECONDS },
  });
  consultationRef.current = consultation;
  // Regulatory: Art. 19 — withdrawing a recording consent stops recordings at once (after commit), and
  // the outbox message written with the withdrawal repeats it until it succeeds (STYLE C20).
  consent.onRecordingConsentWithdrawn((ctx, e) => consultation.handleRecordingConsentWithdrawn(ctx, e.requestId));
  outbox.on(RECORDING_CONSENT_WITHDRAWN, async (msg) => {
    const p = msg.payload as { requestId: string };
    await consultation.handleRecordingConsentWithdrawn(systemCtx('consent.withdrawal'), p.requestId);
  });

  // FHIR R4 at /fhir/R4 (docs/fhir.md): the directory's read model and the patient use cases over the
  // same services (and so the same access policy and audit) as /api/v1.
  const fhirDirectory = createFhirDirectory({ db, clock, cache: directoryCache }, directory);
  // Referrals and prescriptions join the export through a late-bound call (the service is built below).
  const fhirPatients = createFhirPatients({ patients, records, referrals: { fhirResources: (ctx, patientId, base) => referrals.fhirResources(ctx, patientId, base) } });


  // GP choice and patient lists (W8-W10): expired temporary choices end daily (R-GP-05, started by the server).
  const gp = createGpService({ db, clock, ids, keyring, audit, policy: accessPolicy, access, patients, insurance, calendar, zone: config.DEFAULT_TIME_ZONE });
  const gpRestore = createGpRestoreJob({ db, clock, ids, log, zone: config.DEFAULT_TIME_ZONE, restore: (ctx, today) => gp.restoreTemporaryChoices(ctx, today) });

  // Encounters: remote consultations and the practice's visits, which referrals, prescriptions, sick leave
  // and fees are issued on (docs/encounters.md).
  const encounters = createEncountersService({ db, clock, ids, keyring, audit, policy: accessPolicy, access });

  // sick leave: the ЛКК, TELK preparation and medical notices on encounters (docs/sick-leave.md); X011 and
  // C041/C045 reach the bundled NHIS simulator through the outbox.
  const expertiseNhis = createExpertiseNhisClient({ transport: nhisSimulator.transport, clock, ids, systemName: nhisSystem });
  const sickLeave = createSickLeaveService({ db, clock, ids, keyring, audit, outbox, policy: accessPolicy, patients, encounters, calendar, nhis: expertiseNhis, notifications, stepUp: identity, referrals: { getReferral: (ctx, id) => referrals.getReferral(ctx, id) }, zone: config.DEFAULT_TIME_ZONE });
  outbox.on(EXPERTISE_NHIS, createExpertiseNhisHandler({ db, keyring, audit, nhis: expertiseNhis }));
  // Expertise deadlines are escalated from the working day before the due day and breaches recorded after it, each
  // e-mailed to the practice through the outbox (idempotent; started by the server).
  outbox.on(EXPERTISE_DEADLINE_NOTIFY, (msg) => sickLeave.handleDeadlineNotify(msg));
  const sickLeaveDeadlines = createPeriodicRunner(() => sickLeave.checkDeadlines(), log, 'sick_leave.deadlines', 'expertise deadline check failed');

  // A facility's registered systems: OAuth 2.0 client credentials for /fhir/R4 (docs/fhir.md#machine-clients).
  const apiClients = createApiClientsService({ db, clock, ids, audit });
  // backups (Art. 28(1) items 5-7, docs/operations.md): daily encrypted backups to BACKUP_DESTINATIONS and
  // the monthly restore check, each once across processes (started by the server); failures mail the operator.
  const backup = createBackupService(
    {
      database, clock, ids, log, store: keyStore, audit, auditKeys, outbox,
      targets: configuredTargets(config.BACKUP_DESTINATIONS),
      recipients: config.BACKUP_RECIPIENTS,
      identityFile: config.BACKUP_IDENTITY_FILE,
      stagingDir: join(config.DATA_DIR, 'backup-staging'),
      databaseUrl: database.kind === 'postgres' ? config.DATABASE_URL?.reveal() : undefined,
      zone: config.DEFAULT_TIME_ZONE,
      keep: { daily: config.BACKUP_KEEP_DAILY, monthly: config.BACKUP_KEEP_MONTHLY },
      exportedHeads: async () => {
        const exporters = configuredHeadExporters({ dir: config.AUDIT_HEAD_EXPORT_DIR, databaseUrl: config.AUDIT_HEAD_EXPORT_DATABASE_URL?.reveal() });
        try {
          return (await Promise.all(exporters.map((e) => e.readAll()))).flat();
        } finally {
          for (const e of exporters) await e.close();
        }
      },
    },
    { backupAt: config.BACKUP_TIME, restoreCheckAt: config.RESTORE_CHECK_TIME },
  );
  outbox.on(BACKUP_ALERT, (msg) =>
    backup.handleAlert(msg, (mail) =>
      notifications.deliver({ sourceId: mail.sourceId, requestId: null, facilityId: null, recipients: mail.accountIds.map((accountId) => ({ channel: 'email' as const, accountId })), message: mail.message }),
    ),
  );

  // The practice's day (docs/practice.md): fees, payments (recorded, not processed), the phone register,
  // the queue, complaints, data breaches, out of hours and the monthly NHIF report.
  const practice = createPracticeService({ db, clock, ids, keyring, audit, policy: accessPolicy, patients, insurance, encounters, payments: manualPaymentProvider(), referrals: { readIssuedReferralsIn }, calendar, zone: config.DEFAULT_TIME_ZONE, outbox });
  // W20: the prophylaxis plan's reminders, planned on each month's first working day, sent through the outbox.
  outbox.on(PROPHYLAXIS_REMINDER, (msg) => practice.handleProphylaxisReminder(msg, (d) => notifications.deliver(d)));
  const prophylaxisReminders = createProphylaxisReminderJob({ db, clock, ids, log, zone: config.DEFAULT_TIME_ZONE, plan: (today) => practice.planProphylaxisReminders(today) });
  // registration and calendars (docs/registration.md): a patient's own account, confirmed by e-mail.
  const registration = createRegistrationService({ db, audit, identity, patients });
  outbox.on(REGISTRATION_MAIL, (msg) =>
    identity.sendRegistrationMail(msg, async (mail) => {
      await notifications.deliver({ sourceId: mail.sourceId, requestId: null, facilityId: null, recipients: [{ channel: 'email', accountId: mail.accountId }], message: mail.message });
    }),
  );
  const calendarOrigin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : `http://localhost:${config.PORT}`;
  const appointmentCalendar = createCalendarService({ clock, identity, requests, origin: calendarOrigin });


  // Referrals and e-prescriptions (docs/referrals.md): issued on an encounter, signed with the sheet's keys
  // and a fresh second factor, recorded in the NHIS (R001/R007, P001/P007/P017) through the outbox.
  const referrals = createReferralsService({
    db, clock, ids, keyring, audit, outbox, policy: accessPolicy, patients, insurance, encounters, stepUp: identity,
    signer: createPractitionerSigner({ clock, ids, keyring, audit, qualified }),
    nhis: nhisDocuments,
    requests: { readRequestVisitsIn },
  });
  outbox.on(REFERRALS_NHIS, (msg) => referrals.handleNhisMessage(msg));
  // W14: a referral reserved by a booking whose process died before the booking statement is given back
  // after a grace period (idempotent across processes; started by the server).
  const referralSweep = createPeriodicRunner(() => referrals.sweepOrphanedReservations(), log, 'referrals.sweep', 'referral reservation sweep failed');
  // The clinical resources at /fhir/R4, each through the use case that owns it (docs/fhir.md#clinical-resources).
  const fhirClinical = createFhirClinical({ records, referrals, consent });

  return {
    config,
    log,
    clock,
    ids,
    database,
    db,
    outbox,
    audit,
    auditKeys,
    auditHeads,
    keyring,
    calendar,
    ops,
    patients,
    accessPolicy,
    access,
    auditTrail,
    registry,
    scheduling,
    slotRoll,
    directory,
    fhirDirectory,
    fhirPatients,
    fhirClinical,
    identity,
    staffAccounts,
    notifications,
    requests,
    records,
    deadlines,
    nhisSimulator: nhisSimulator.control,
    nhisMode: nhisConnection.mode,
    nhisHttp: nhisConnection.http,
    signalBus,
    signalling,
    consultation,
    consent,
    admissibility,
    insurance,
    insuranceSimulator: insuranceSimulator.control,
    gp,
    gpRestore,
    prophylaxisReminders,
    nhisRegistration,
    nhisDirectorySimulator: nhisDirectory.control,
    encounters,
    sickLeave,
    sickLeaveDeadlines,
    apiClients,
    backup,
    practice,
    registration,
    appointmentCalendar,
    calendarOrigin,
    referrals,
    referralSweep,
    async close() {
      qualified.close();
      await signalling.close();
      await signalBus.close();
      deadlines.stopScanner();
      await slotRoll.stop();
      await gpRestore.stop();
      await prophylaxisReminders.stop();
      await nhisRegistration.reconcile.stop();
      await sickLeaveDeadlines.stop();
      await referralSweep.stop();
      await backup.dailyBackup.stop();
      await backup.monthlyCheck.stop();
      await outbox.stop();
      await auditHeads.stop();
      await nhisConnection.close();
      if (!overrides.database) await database.close();
    },
  };
}

export type Deps = Awaited<ReturnType<typeof createDeps>>;
