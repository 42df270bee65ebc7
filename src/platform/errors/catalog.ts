/**
 * The one code → HTTP status table (STYLE C4). Every domain error code lives here; `satisfies` makes
 * the build fail if a code lacks a status or a bilingual title. Titles are shown to users, so each has
 * Bulgarian and English text; `detail` on a problem is for the specific case.
 */
export const errorCatalog = {
  /** The request body, query or params did not match the contract. */
  'request.invalid': { status: 400, title: { en: 'Request is invalid', bg: 'Невалидна заявка' } },
  /** No valid session or credentials. */
  'auth.unauthenticated': { status: 401, title: { en: 'Authentication required', bg: 'Необходимо е влизане в системата' } },
  /** The actor may not do this (deny by default). */
  'auth.forbidden': { status: 403, title: { en: 'Not allowed', bg: 'Нямате права за това действие' } },
  /** The resource does not exist, or the actor may not know that it exists. */
  'resource.not_found': { status: 404, title: { en: 'Not found', bg: 'Не е намерено' } },
  /** Identity: unknown e-mail or wrong password (deliberately the same answer for both). */
  'auth.invalid_credentials': { status: 401, title: { en: 'E-mail or password is wrong', bg: 'Грешен имейл или парола' } },
  /** Identity: too many failed attempts; the account is locked for a while (Retry-After). */
  'auth.locked': { status: 429, title: { en: 'Too many failed attempts; try again later', bg: 'Твърде много неуспешни опити; опитайте отново по-късно' } },
  /** Identity: the second-factor code is wrong or was already used. */
  'auth.mfa_invalid': { status: 401, title: { en: 'The code is not valid', bg: 'Кодът не е валиден' } },
  /** Identity: the MFA or enrolment token is unknown, expired or already used; sign in again. */
  'auth.mfa_expired': { status: 401, title: { en: 'The sign-in step has expired; sign in again', bg: 'Стъпката за вход е изтекла; влезте отново' } },
  /** Identity: the account has no second factor yet and must enrol one first. */
  'auth.mfa_enrolment_required': { status: 403, title: { en: 'Set up two-factor authentication first', bg: 'Първо настройте двуфакторно удостоверяване' } },
  /** Identity: a cookie-authenticated write came without a matching CSRF token. */
  'auth.csrf': { status: 403, title: { en: 'The request could not be verified; reload the page', bg: 'Заявката не може да бъде потвърдена; презаредете страницата' } },
  /** Identity: staff roles may act only from the facility networks (Art. 28(1)-(2)). */
  'auth.network_denied': { status: 403, title: { en: 'Access is allowed only from the facility network', bg: 'Достъпът е разрешен само от мрежата на лечебното заведение' } },
  /** Identity: the password-reset link is unknown, expired or already used; ask for a new one. */
  'auth.reset_invalid': { status: 410, title: { en: 'This password-reset link is no longer valid; ask for a new one', bg: 'Връзката за смяна на паролата вече не е валидна; поискайте нова' } },
  /** Identity: the activation link is unknown, spent, expired, or was replaced by a newer one. */
  'auth.activation_invalid': { status: 410, title: { en: 'This activation link is no longer valid; ask your administrator for a new one', bg: 'Връзката за активиране вече не е валидна; поискайте нова от администратора си' } },
  /** Registration: the e-mail confirmation link is unknown, spent or expired (docs/registration.md). */
  'auth.confirmation_invalid': { status: 410, title: { en: 'This confirmation link is no longer valid; register again to get a new one', bg: 'Връзката за потвърждение вече не е валидна; регистрирайте се отново, за да получите нова' } },
  /** Registration: the date of birth does not match the one the EGN encodes (bulgarian-identifiers §1.1). */
  'registration.birth_date_mismatch': { status: 422, title: { en: 'The date of birth does not match the EGN', bg: 'Датата на раждане не съвпада с ЕГН' } },
  /** Identity: an account without a second factor cannot reset its password by e-mail; it is (re-)activated instead. */
  'auth.activation_required': { status: 403, title: { en: 'This account has no second factor; ask your administrator for a new activation link', bg: 'Този профил няма втори фактор; поискайте нова връзка за активиране от администратора си' } },
  /** Identity: the new password breaks the password policy. */
  'password.too_weak': { status: 422, title: { en: 'The password is too weak', bg: 'Паролата е твърде слаба' } },
  /** Staff accounts: an administrator cannot deactivate their own account or reset their own second factor. */
  'account.self_action': { status: 409, title: { en: 'You cannot do this to your own account', bg: 'Не можете да направите това със собствения си профил' } },
  /** Staff accounts: a specialist account links only to a practitioner working at the facility. */
  'account.practitioner_not_in_facility': { status: 422, title: { en: 'This specialist does not work at the facility', bg: 'Този специалист не работи в лечебното заведение' } },
  /** Access: no account has the e-mail given for a grant or representative link. */
  'access.account_not_found': { status: 422, title: { en: 'No account uses this e-mail address', bg: 'Няма профил с този имейл адрес' } },
  /** Access: the account's role cannot receive this access (e.g. a grant to the platform operator). */
  'access.account_not_eligible': { status: 422, title: { en: 'This account cannot be given this access', bg: 'На този профил не може да бъде даден такъв достъп' } },
  /** Consultation: the service was completed; calls, chat and files are closed. */
  'consultation.finished': { status: 409, title: { en: 'This consultation has ended', bg: 'Консултацията е приключила' } },
  /** Consultation: a call or recording was asked of a store-and-forward case (or the reverse). */
  'consultation.wrong_mode': { status: 409, title: { en: 'Not possible for this kind of consultation', bg: 'Не е възможно за този вид консултация' } },
  /** Consultation: the request is not accepted yet, so it has no consultation. */
  'consultation.request_not_ready': { status: 409, title: { en: 'The request has not been accepted yet', bg: 'Заявката все още не е приета' } },
  /** Consultation: only participants admitted from the waiting room take part in the call. */
  'consultation.not_admitted': { status: 409, title: { en: 'Wait until the specialist admits you', bg: 'Изчакайте специалистът да ви допусне' } },
  /** Consultation: a recording is already running. */
  'consultation.recording_running': { status: 409, title: { en: 'A recording is already running', bg: 'Вече тече запис' } },
  /** Consultation: the recording was stopped or its consent withdrawn (Art. 19); no more data is accepted. */
  'consultation.recording_stopped': { status: 409, title: { en: 'The recording has stopped', bg: 'Записът е спрян' } },
  /** Files: the content is not JPEG, PNG, PDF or DICOM (checked from its bytes). */
  'file.type_not_allowed': { status: 415, title: { en: 'This type of file is not accepted', bg: 'Този вид файл не се приема' } },
  /** Files: the declared type does not match the content. */
  'file.type_mismatch': { status: 415, title: { en: 'The file content does not match its type', bg: 'Съдържанието на файла не съответства на типа му' } },
  /** Files: a PDF with JavaScript or automatic actions (/OpenAction, /AA, /Launch); docs/security-input.md. */
  'file.active_content': { status: 415, title: { en: 'PDF files with scripts or automatic actions are not accepted', bg: 'PDF файлове със скриптове или автоматични действия не се приемат' } },
  /** Files: an image of more than 40 megapixels (the other participant's browser would have to decode it). */
  'file.image_too_large': { status: 422, title: { en: 'The image is too large (at most 40 megapixels)', bg: 'Изображението е твърде голямо (най-много 40 мегапиксела)' } },
  /** Signalling: the WebSocket was opened from another origin. */
  'signal.origin_denied': { status: 403, title: { en: 'Connection from another site refused', bg: 'Връзка от друг сайт е отказана' } },
  /** Consent: no active written informed consent for this request (Art. 10, R-TM-23). */
  'consent.missing': { status: 409, title: { en: 'Written informed consent is required first', bg: 'Първо е необходимо писмено информирано съгласие' } },
  /** Consent: the information was not shown to the signer before signing (Art. 11, R-TM-24). */
  'consent.not_presented': { status: 409, title: { en: 'Read the consent information before signing', bg: 'Прочетете информацията за съгласието преди да подпишете' } },
  /** Consent: the providing facility has no published form of this kind (Art. 19(3), R-TM-27). */
  'consent.template_missing': { status: 409, title: { en: 'The facility has no published consent form', bg: 'Лечебното заведение няма публикуван формуляр за съгласие' } },
  /** Consent: the form is not the facility's published one of that kind. */
  'consent.template_invalid': { status: 409, title: { en: 'This consent form cannot be used', bg: 'Този формуляр за съгласие не може да бъде използван' } },
  /** Consent: a published form version never changes; create a new version. */
  'consent.template_published': { status: 409, title: { en: 'A published form cannot be changed; create a new version', bg: 'Публикуван формуляр не може да се променя; създайте нова версия' } },
  /** Consent: signed consents, verifications and decisions are never changed or deleted. */
  'consent.immutable': { status: 409, title: { en: 'A signed record cannot be changed', bg: 'Подписан запис не може да се променя' } },
  /** Consent: the consent was already withdrawn. */
  'consent.withdrawn': { status: 409, title: { en: 'This consent has been withdrawn', bg: 'Това съгласие е оттеглено' } },
  /** Consent: a consultation without personal data takes no patient consent (Art. 2, R-TM-18). */
  'consent.no_personal_data': { status: 409, title: { en: 'This consultation processes no personal data', bg: 'Тази консултация не обработва лични данни' } },
  /** Consent: a consent recorded by the requesting specialist needs the patient's signed document. */
  'consent.document_required': { status: 422, title: { en: "Attach the patient's signed consent document", bg: 'Приложете подписания от пациента документ за съгласие' } },
  /** Identity (Art. 7(1) item 5, R-TM-15): no successful identity verification for this service. */
  'identity.not_verified': { status: 409, title: { en: 'The identity has not been verified', bg: 'Самоличността не е потвърдена' } },
  /** Admissibility (Art. 7): a hard block that nobody can override (R-TM-13, R-TM-15, R-TM-16, R-TM-17; `meta.rule`). */
  'admissibility.blocked': { status: 422, title: { en: 'This service cannot be provided remotely', bg: 'Тази услуга не може да бъде оказана от разстояние' } },
  /** Admissibility: an accept needs every Art. 7 condition confirmed (`errors` name the others). */
  'admissibility.checklist_failed': { status: 422, title: { en: 'Every Art. 7 condition must be confirmed to accept', bg: 'За приемане трябва да са потвърдени всички условия по чл. 7' } },
  /** Admissibility: the providing specialist has not accepted the request (Art. 9, R-TM-10). */
  'admissibility.decision_required': { status: 409, title: { en: "The specialist's acceptance is required first", bg: 'Първо е необходимо специалистът да приеме заявката' } },
  /** Admissibility: the request has already been decided. */
  'admissibility.already_decided': { status: 409, title: { en: 'This request has already been decided', bg: 'По тази заявка вече е взето решение' } },
  /** Recording (Art. 19, R-TM-25): no valid recording consent from the recipient. */
  'recording.consent_missing': { status: 409, title: { en: 'Recording needs the written consent of the recipient', bg: 'Записът изисква писмено съгласие на получателя' } },
  /** Recording: the consent does not cover this type of recording (audio, video, screen). */
  'recording.media_not_consented': { status: 409, title: { en: 'The consent does not cover this type of recording', bg: 'Съгласието не обхваща този вид запис' } },
  /** A unique value is already taken. */
  'resource.conflict': { status: 409, title: { en: 'Conflicts with existing data', bg: 'Конфликт със съществуващи данни' } },
  /** The requested slot was booked by someone else first. */
  'appointment.slot_taken': { status: 409, title: { en: 'That time is no longer available', bg: 'Този час вече е зает' } },
  /** The status change is not allowed from the current status. */
  'state.bad_transition': { status: 409, title: { en: 'This action is not possible in the current state', bg: 'Действието не е възможно в текущото състояние' } },
  /** Optimistic lock failed: someone else changed the resource. */
  'resource.version_mismatch': { status: 412, title: { en: 'Resource was changed by someone else', bg: 'Ресурсът е променен от друг потребител' } },
  /** Payload too large. */
  'request.too_large': { status: 413, title: { en: 'The upload is too large', bg: 'Файлът е твърде голям' } },
  // FHIR `_format` or Accept other than JSON (the FHIR endpoint serves application/fhir+json only).
  'request.not_acceptable': { status: 406, title: { en: 'That format is not available', bg: 'Този формат не се поддържа' } },
  /** A domain rule refused an otherwise well-formed request. */
  'rule.violated': { status: 422, title: { en: 'The request breaks a rule', bg: 'Заявката нарушава правило' } },
  /** Records: a patient-requested service closes only with a signed ambulatory sheet (R-TM-41), a specialist's with a signed written consultation (R-TM-40). */
  'records.sheet_required': { status: 409, title: { en: 'A signed ambulatory sheet or written consultation is required first', bg: 'Първо е необходим подписан амбулаторен лист или писмена консултация' } },
  /** Signing: the PKCS#11 token refused the PIN (the card may lock after a few more tries). */
  'signing.pin_incorrect': { status: 422, title: { en: 'The PIN of the signature device is wrong', bg: 'Грешен ПИН на устройството за подпис' } },
  /** Signing: the PIN is locked on the device; it needs the PUK or the issuer. */
  'signing.pin_locked': { status: 422, title: { en: 'The PIN of the signature device is locked', bg: 'ПИН кодът на устройството за подпис е блокиран' } },
  /** Signing: no token (card) in the reader, or no slot/label as configured. */
  'signing.token_absent': { status: 503, title: { en: 'The signature device is not connected', bg: 'Устройството за подпис не е свързано' } },
  /** Signing: the token has no certificate with a private key for this signer. */
  'signing.certificate_not_found': { status: 422, title: { en: 'No signing certificate was found on the device', bg: 'На устройството няма сертификат за подпис' } },
  /** Signing: the certificate is not issued by a trusted CA, expired, or not the signer's. */
  'signing.certificate_untrusted': { status: 422, title: { en: 'The signing certificate is not trusted', bg: 'Сертификатът за подпис не е доверен' } },
  /** Signing: the signature does not match the data and certificate. */
  'signing.signature_invalid': { status: 422, title: { en: 'The signature is not valid', bg: 'Подписът не е валиден' } },
  /** Signing: the certificate is trusted but names another doctor (the UIN in its subject is not the signer's). */
  'signing.certificate_not_signer': { status: 422, title: { en: "The signing certificate is not the signing doctor's", bg: 'Сертификатът за подпис не е на подписващия лекар' } },
  /** Signing: the signature holds but is over other content than this version of the document. */
  /** Signing: an NHIS message came back signed by another certificate than the one that signed the record (docs/nhis.md#signer). */
  'signing.certificate_not_document_signer': { status: 422, title: { en: 'The NHIS message is signed with another certificate than the one that signed the record', bg: 'Съобщението към НЗИС е подписано с друг сертификат, а не с този, с който е подписан документът' } },
  'signing.content_mismatch': { status: 422, title: { en: 'The signature is not over this version of the document; sign again', bg: 'Подписът не е върху тази версия на документа; подпишете отново' } },
  /** Signing: the signature was prepared too long ago (or claims a future time); sign again. */
  'signing.signature_stale': { status: 422, title: { en: 'The signature is too old; sign again', bg: 'Подписът е твърде стар; подпишете отново' } },
  /** Signing: the PKCS#11 library failed (module missing, device error). */
  'signing.device_error': { status: 503, title: { en: 'The signature device failed', bg: 'Грешка в устройството за подпис' } },
  /** Signing agent: the pairing code or the agent token is wrong. */
  'signing.agent_unpaired': { status: 401, title: { en: 'The signing agent is not paired with this browser', bg: 'Програмата за подпис не е сдвоена с този браузър' } },
  /** Records: a signed document never changes; a correction is a new signed revision. */
  'records.document_signed': { status: 409, title: { en: 'The document is signed and cannot be changed; create a correction', bg: 'Документът е подписан и не може да се променя; създайте корекция' } },
  /** Records: the document lacks what signing requires (fields in `errors`). */
  'records.incomplete': { status: 422, title: { en: 'The document is not complete', bg: 'Документът не е попълнен изцяло' } },
  /** Records: the complexity extension is not allowed now (R-TM-43; `meta.why`). */
  'deadline.extension_refused': { status: 422, title: { en: 'The deadline cannot be extended', bg: 'Срокът не може да бъде удължен' } },
  /** Too many requests from this client or for this account. */
  /** Requests: the facility's rules no longer allow cancelling or rescheduling this close to the start. */
  'request.change_window_closed': { status: 422, title: { en: 'It is too late to change this appointment', bg: 'Твърде късно е за промяна на този час' } },
  /** Requests: the Idempotency-Key was already used for a different request. */
  'request.idempotency_conflict': { status: 422, title: { en: 'This request key was already used for another request', bg: 'Ключът на заявката вече е използван за друга заявка' } },
  /** Requests: nobody is on the emergency rota for that specialty at that facility (Art. 14(3)). */
  'request.no_one_on_duty': { status: 409, title: { en: 'No specialist is on duty for this specialty there', bg: 'Няма дежурен специалист по тази специалност' } },
  /** Insurance (R-NHIF-01): the NRA insurance-status registry did not answer; nothing was cached. */
  'insurance.registry_unavailable': { status: 503, title: { en: 'The insurance registry is not answering; try again later', bg: 'Регистърът на здравноосигурените лица не отговаря; опитайте по-късно' } },
  /** Insurance: the registry answers for an EGN or LNCh only. */
  'insurance.identifier_not_supported': { status: 422, title: { en: 'Insurance status can be checked only for an EGN or LNCh', bg: 'Здравноосигурителният статус се проверява само по ЕГН или ЛНЧ' } },
  /** Foreigners' insurance (R-INS-01): the mandatory policy is recorded for a foreigner (LNCh or passport). */
  'insurance.not_a_foreigner': { status: 422, title: { en: 'A mandatory medical insurance policy is recorded for foreigners only', bg: 'Задължителна медицинска застраховка се вписва само за чужденци' } },
  /** Foreigners' insurance (R-INS-02): sum insured below the minimum (60,000 BGN = 30,677.51 EUR). */
  'insurance.sum_below_minimum': { status: 422, title: { en: 'The sum insured is below the minimum of 60,000 BGN (30,677.51 EUR)', bg: 'Застрахователната сума е под минималната от 60 000 лв. (30 677,51 EUR)' } },
  /** Foreigners' insurance (R-INS-03): the premium is paid once, at conclusion. */
  'insurance.premium_not_single': { status: 422, title: { en: 'The premium must be paid once, when the policy is concluded', bg: 'Премията се плаща еднократно при сключване на застраховката' } },
  /** Foreigners' insurance (R-INS-04/05): term over 90 days (short stay, transit) or one year (long stay). */
  'insurance.term_too_long': { status: 422, title: { en: 'The policy term is too long for this kind of stay', bg: 'Срокът на застраховката е твърде дълъг за този вид пребиваване' } },
  /** Foreigners' insurance (R-INS-04): the dates do not make a term. */
  'insurance.policy_dates_invalid': { status: 422, title: { en: 'The policy dates are not valid', bg: 'Датите на застраховката не са валидни' } },
  /** Foreigners' insurance (R-INS-06): a renewal is concluded before the old policy expires, with no gap. */
  'insurance.renewal_gap': { status: 422, title: { en: 'The new policy must be concluded before the old one expires and leave no gap', bg: 'Новата застраховка трябва да е сключена преди изтичане на старата и без прекъсване' } },
  /** Data-subject requests (GDPR Art. 12(3)): an extension is decided and told within the first month. */
  'practice.subject_request_extension_late': { status: 422, title: { en: 'The deadline can only be extended within the first month', bg: 'Срокът може да се удължи само в рамките на първия месец' } },
  /** Foreigners' claims (R-INS-18): the rights under the contract are time-barred. */
  'insurance.claim_time_barred': { status: 422, title: { en: 'The rights under this insurance contract have expired', bg: 'Правата по този застрахователен договор са погасени по давност' } },
  /** Foreigners' claims (R-INS-09): a payout abroad takes the BNB central rate of the transfer day. */
  'insurance.payout_rate_not_transfer_day': { status: 422, title: { en: 'Use the BNB central rate of the transfer day', bg: 'Използвайте централния курс на БНБ за деня на превода' } },
  /** Foreigners' insurance (R-INS-01): no policy valid on the day of NHIF-style care. */
  'insurance.foreign_policy_required': { status: 422, title: { en: 'A medical insurance policy valid on the day of care is required', bg: 'Необходима е медицинска застраховка, валидна в деня на услугата' } },
  /** Booking (R-PC-13): the NHIF does not pay; the patient must accept the price before booking. */
  'booking.payment_notice_required': { status: 409, title: { en: 'The NHIF does not pay for this visit; accept the price to book', bg: 'НЗОК не заплаща този преглед; приемете цената, за да запазите час' } },
  /** Booking (R-PC-13): the NHIF does not pay and the facility states no price, so the patient cannot be told it. */
  'booking.self_pay_price_unknown': { status: 422, title: { en: 'The NHIF does not pay for this visit and the facility has not published its price', bg: 'НЗОК не заплаща този преглед, а лечебното заведение не е обявило цена' } },
  /** Booking (W14, R-NHIF-01): the NHIF pays for a specialist only on a referral. */
  'booking.referral_required': { status: 422, title: { en: 'The NHIF pays for a specialist visit only with a referral: give its number (НРН) or choose a paid service', bg: 'НЗОК заплаща преглед при специалист само с направление: посочете номера му (НРН) или изберете платена услуга' } },
  /** Booking (W14): no referral of this patient has this НРН (another patient's answers the same). */
  'booking.referral_not_found': { status: 422, title: { en: 'You have no referral with this number', bg: 'Нямате направление с този номер' } },
  /** Booking (W14, R-35/R-38): this form is not used to book a specialist (№ 3, 3А or 6 are). */
  'booking.referral_wrong_form': { status: 422, title: { en: 'This referral form is not for a specialist visit', bg: 'Тази бланка направление не е за преглед при специалист' } },
  /** Booking (W14): the referral names another specialty. */
  'booking.referral_wrong_specialty': { status: 422, title: { en: 'The referral is for another specialty', bg: 'Направлението е за друга специалност' } },
  /** GP choice (R-GP-02, НРД R-23): a permanent change only 1-30 June and 1-31 December. */
  'gp.change_window_closed': { status: 422, title: { en: 'A GP can be changed only from 1 to 30 June and from 1 to 31 December', bg: 'Личният лекар може да се смени само от 1 до 30 юни и от 1 до 31 декември' } },
  /** GP choice (R-GP-01): an initial choice exists already; a change is a permanent choice. */
  'gp.already_registered': { status: 409, title: { en: 'The patient already has a GP; submit a change instead', bg: 'Пациентът вече има личен лекар; подайте смяна' } },
  /** GP choice: a change or temporary choice needs a current permanent choice. */
  'gp.no_current_choice': { status: 409, title: { en: 'The patient has no GP yet; make an initial choice', bg: 'Пациентът все още няма личен лекар; направете първоначален избор' } },
  /** GP choice: the patient is already registered with this GP. */
  'gp.same_practitioner': { status: 409, title: { en: 'The patient is already registered with this GP', bg: 'Пациентът вече е регистриран при този лекар' } },
  /** GP choice (R-GP-06): the health-insurance booklet or copy 3 of the initial form, and the completed form. */
  'gp.documents_missing': { status: 422, title: { en: 'Required documents are missing', bg: 'Липсват задължителни документи' } },
  /** GP choice (R-GP-03): a change outside the windows needs the RHIF confirmation or the address document. */
  'gp.basis_document_required': { status: 422, title: { en: 'Attach the document that allows a change now', bg: 'Приложете документа, който позволява смяна извън срока' } },
  /** GP choice (R-GP-04): a temporary choice lasts from 1 to 5 months. */
  'gp.temporary_period_invalid': { status: 422, title: { en: 'A temporary choice lasts from 1 to 5 months', bg: 'Временният избор е за срок от 1 до 5 месеца' } },
  /** GP choice (R-GP-04): a temporary GP is outside the health region of the permanent one. */
  'gp.temporary_same_region': { status: 422, title: { en: 'A temporary GP must be outside the region of your permanent GP', bg: 'Временният личен лекар трябва да е извън района на постоянния' } },
  /** GP choice: a temporary choice is already running. */
  'gp.temporary_active': { status: 409, title: { en: 'A temporary choice is already in force', bg: 'Вече има действащ временен избор' } },
  /** GP choice (R-GP-08): minors under 14 and fully interdicted persons choose through a parent or guardian. */
  'gp.representative_required': { status: 422, title: { en: 'A parent or guardian must make this choice', bg: 'Изборът се прави от родител или настойник' } },
  /** GP choice (R-GP-08): minors aged 14-17 and persons under limited interdiction need a parent's or curator's consent. */
  'gp.representative_consent_required': { status: 422, title: { en: "The consent of a parent or curator is required", bg: 'Необходимо е съгласие на родител или попечител' } },
  /** GP choice (R-GP-09): a newborn without EGN is registered with the birth-notification number. */
  'gp.birth_notification_required': { status: 422, title: { en: 'Enter the birth-notification number and the facility that issued it', bg: 'Въведете номера на съобщението за раждане и лечебното заведение, което го е издало' } },
  /** GP choice: the practitioner is not a GP of that primary-care practice. */
  'gp.not_a_gp_practice': { status: 422, title: { en: 'This doctor is not a GP of that practice', bg: 'Този лекар не е общопрактикуващ лекар в тази практика' } },
  /** GP choice: the desk's lookup found no patient record matching the identifier, names and birth date presented. */
  'gp.patient_not_found': { status: 404, title: { en: 'No patient matches these document details; check the EGN, names and birth date', bg: 'Няма пациент с тези данни; проверете ЕГН, имената и датата на раждане' } },
  /** GP choice: the GP's contract caps the list and it is full. */
  'gp.list_full': { status: 409, title: { en: "The GP's patient list is full", bg: 'Пациентската листа на лекаря е запълнена' } },
  /** Encounters: a referral, prescription or sick leave needs a consultation that has started (R-REF-10). */
  'encounter.consultation_not_started': { status: 409, title: { en: 'The consultation has not started yet', bg: 'Консултацията все още не е започнала' } },
  // Sick leave, the ЛКК, TELK and medical notices (docs/sick-leave.md)
  /** Sick leave (R-SL-01): the issuing doctor's 14 consecutive days; the ЛКК extends (R-SL-03). */
  'sick_leave.limit_14': { status: 422, title: { en: 'Over 14 consecutive days: the medical advisory commission (ЛКК) decides', bg: 'Над 14 последователни дни: решава ЛКК' } },
  /** Sick leave (R-SL-02): the issuing doctor's 40 days in a calendar year; the ЛКК extends (R-SL-03). */
  'sick_leave.limit_40': { status: 422, title: { en: 'Over 40 days this year: the medical advisory commission (ЛКК) decides', bg: 'Над 40 дни с прекъсване за годината: решава ЛКК' } },
  /** Sick leave (R-SL-21): no temporary-incapacity expertise without an examination. */
  'sick_leave.no_exam': { status: 422, title: { en: 'Sick leave needs an examination of the patient', bg: 'Болничен лист се издава само след преглед' } },
  /** Sick leave (Art. 9, R-SL-21): the consultation did not record that the condition could be assessed remotely. */
  'sick_leave.remote_not_assessable': { status: 422, title: { en: 'This consultation cannot establish incapacity remotely', bg: 'Тази консултация не може да установи неработоспособност от разстояние' } },
  /** Sick leave (R-SL-07, R-SL-09, R-SL-11, R-SL-12, R-SL-19): another doctor or body issues this leave. */
  'sick_leave.wrong_issuer': { status: 422, title: { en: 'Another doctor or body issues this sick leave', bg: 'Този болничен лист се издава от друг лекар или орган' } },
  /** Sick leave (R-SL-06): care leave only for a child, parent or sibling. */
  'sick_leave.family_relation': { status: 422, title: { en: 'Care leave is only for a child, parent or sibling', bg: 'Болничен за гледане се издава само за дете, родител, брат или сестра' } },
  /** Sick leave (R-SL-26): quarantine leave only for a child attending a children’s facility. */
  'sick_leave.quarantine_not_eligible': { status: 422, title: { en: 'Quarantine leave is only for a child attending a nursery or kindergarten', bg: 'Болничен за карантина се издава само за дете в детско заведение' } },
  /** Sick leave (R-SL-10): exam/consultation and accompanying leave need the facility's service note. */
  'sick_leave.service_note_required': { status: 422, title: { en: 'A service note from the facility is required', bg: 'Необходима е служебна бележка от лечебното заведение' } },
  /** Sick leave (R-SL-14, R-SL-15): a retroactive leave needs the exam document of its first day, complete. */
  'sick_leave.retroactive_document': { status: 422, title: { en: 'A retroactive leave needs a complete exam document of its first day', bg: 'Болничен за минало време изисква пълен документ от прегледа в първия ден' } },
  /** Sick leave (R-SL-20): issued on the exam day, or later with a recorded reason. */
  'sick_leave.issue_day': { status: 422, title: { en: 'Sick leave is issued on the day of the examination', bg: 'Болничният лист се издава в деня на прегледа' } },
  /** Sick leave (R-SL-22, R-SL-13): the employer's exact name, address and job title, once per employer. */
  'sick_leave.employer_data': { status: 422, title: { en: "The employer's exact name, address and job title are required", bg: 'Необходими са точното наименование, адрес и длъжност при работодателя' } },
  /** Sick leave (R-SL-08): maternity leave parts add up to 135 days. */
  'sick_leave.maternity_days': { status: 422, title: { en: 'The maternity leave days do not match the 135-day plan', bg: 'Дните по майчинство не съответстват на плана от 135 дни' } },
  /** Sick leave: the period is not valid. */
  'sick_leave.period_invalid': { status: 422, title: { en: 'The period is not valid', bg: 'Периодът е невалиден' } },
  /** Sick leave (R-SL-17, R-SL-18): a duplicate needs a written request with a reason, at the issuing facility. */
  'sick_leave.duplicate_refused': { status: 422, title: { en: 'A duplicate cannot be issued on this request', bg: 'Дубликат не може да бъде издаден по това искане' } },
  /** ЛКК: only the commission's members act on its cases and sign its protocols. */
  'lkk.not_member': { status: 403, title: { en: 'Only members of the commission can do this', bg: 'Само членове на комисията могат да направят това' } },
  /** ЛКК (R-SL-03, НРД R-46): the case cites a № 6 that is not the routing doctor's № 6 for this patient. */
  'lkk.form6_mismatch': { status: 422, title: { en: 'The referral is not a № 6 for this patient from this doctor', bg: 'Направлението не е талон № 6 за този пациент от този лекар' } },
  /** ЛКК: the case was decided already, or is not awaiting this step. */
  'lkk.case_state': { status: 409, title: { en: 'The case is not at this step', bg: 'Случаят не е на тази стъпка' } },
  /** ЛКК (НРД R-133): only the chair reads and sends the monthly report. */
  'lkk.not_chair': { status: 403, title: { en: 'Only the commission’s chair can do this', bg: 'Само председателят на комисията може да направи това' } },
  /** TELK (R-TELK-10): the 7-item bundle is incomplete; the preparation cannot be completed. */
  'telk.checklist_incomplete': { status: 409, title: { en: 'The TELK document bundle is incomplete', bg: 'Документите за ТЕЛК не са пълни' } },
  /** TELK (R-TELK-07): after temporary incapacity the ЛКК refers to TELK. */
  'telk.route': { status: 422, title: { en: 'The medical advisory commission (ЛКК) refers to TELK after temporary incapacity', bg: 'След временна неработоспособност към ТЕЛК насочва ЛКК' } },
  /** TELK (R-TELK-06): a diagnosis without documentation and not present at the exam. */
  'telk.undocumented_diagnosis': { status: 422, title: { en: 'A diagnosis without documentation cannot go on the protocol', bg: 'Диагноза без медицинска документация не може да бъде в протокола' } },
  /** TELK (R-TELK-02): no protocols in June and December; schedule on or after the 7th of July or January. */
  'telk.blackout': { status: 422, title: { en: 'No TELK protocols in June and December', bg: 'През юни и декември не се изготвят протоколи за ТЕЛК' } },
  /** Medical notices (R-EXP-02, R-EXP-05): this notice needs an examination. */
  'notice.exam_required': { status: 422, title: { en: 'This medical notice needs an examination', bg: 'Тази медицинска бележка изисква преглед' } },
  /** Medical notices: the notice was cancelled already. */
  'notice.cancelled': { status: 409, title: { en: 'This medical notice was cancelled', bg: 'Тази медицинска бележка е анулирана' } },
  // The practice's day (docs/practice.md)
  /** Practice (DECISIONS 17): a price-list version starts today or later; the past keeps its prices. */
  'practice.price_list_past': { status: 422, title: { en: 'A new price list can start today at the earliest', bg: 'Нов ценоразпис може да влезе в сила най-рано днес' } },
  /** Practice (R-PC-13): the patient pays the price list and must be told the price before the visit. */
  'practice.price_not_told': { status: 409, title: { en: 'Tell the patient the price before the visit', bg: 'Съобщете цената на пациента преди прегледа' } },
  /** Practice (R-PC-13): the price list in force has no price for this. */
  'practice.no_price': { status: 422, title: { en: 'The price list in force has no price for this', bg: 'Действащият ценоразпис няма цена за това' } },
  /** Practice: not an exemption category in force. */
  'practice.exemption_unknown': { status: 422, title: { en: 'This is not a user-fee exemption category', bg: 'Това не е категория, освободена от потребителска такса' } },
  /** Practice: the amount differs from what is due. */
  'practice.amount_not_due': { status: 422, title: { en: 'The amount differs from what is due', bg: 'Сумата се различава от дължимата' } },
  /** Practice (R-PC-14): the lab fee was already paid for this lab today. */
  'practice.lab_fee_once': { status: 409, title: { en: 'The lab fee is paid once per lab per day', bg: 'Лабораторната такса се плаща веднъж на ден за лаборатория' } },
  /** Practice: the lab fee exceeds the maximum in force. */
  'practice.lab_fee_over_max': { status: 422, title: { en: 'The lab fee exceeds the maximum', bg: 'Лабораторната такса надвишава максимума' } },
  /** Practice (R-PC-07/08): the phone register entry is incomplete. */
  'practice.phone_entry_invalid': { status: 422, title: { en: 'The phone consultation entry is incomplete', bg: 'Записът за телефонната консултация е непълен' } },
  /** Practice (R-OOH-01/03): the out-of-hours arrangement is not allowed. */
  'practice.out_of_hours_invalid': { status: 422, title: { en: 'This out-of-hours arrangement is not allowed', bg: 'Тази организация на извънработното време не е допустима' } },
  /** Referrals (R-REF-06): this doctor may not issue this form. */
  'referral.form_not_allowed': { status: 422, title: { en: 'You may not issue this referral form', bg: 'Нямате право да издавате тази бланка направление' } },
  /** Referrals (R-REF-01/03/04/05): past its 30 calendar days. */
  'referral.expired': { status: 422, title: { en: 'The referral has expired', bg: 'Направлението е с изтекъл срок' } },
  /** Referrals (R-REF-11): interrupted insurance rights; only МЗ 119а. */
  'referral.insurance_interrupted': { status: 422, title: { en: 'Insurance rights are interrupted: only the paid form 119a can be issued', bg: 'Здравноосигурителните права са прекъснати: може да се издаде само бланка 119а' } },
  /** Referrals (R-REF-10): no documented problem. */
  'referral.no_documented_problem': { status: 422, title: { en: 'A referral needs an exam and a documented problem', bg: 'Направлението изисква преглед и документиран медицински проблем' } },
  /** Referrals (R-REF-10): only at the patient's wish, another doctor's order or on media advice. */
  'referral.not_medically_justified': { status: 422, title: { en: 'The referral is not medically justified by the issuing doctor', bg: 'Направлението не е медицински обосновано от издаващия лекар' } },
  /** Referrals (R-REF-15): none to other specialists from a phone consultation. */
  'referral.phone_consultation': { status: 422, title: { en: 'No referral to a specialist after a phone consultation', bg: 'Не се издава направление към специалист след консултация по телефона' } },
  /** Referrals (R-REF-08): TELK, sick-leave extension and assistive-device LKK go on form 6. */
  'referral.use_form_6': { status: 422, title: { en: 'Use form No. 6 for this consultation', bg: 'За тази консултация се използва бланка № 6' } },
  /** Referrals (R-REF-13): tests a hospital requests for admission are not outpatient referrals. */
  'referral.hospital_admission_tests': { status: 422, title: { en: 'Tests for hospital admission are not issued as outpatient referrals', bg: 'Изследвания за прием в болница не се назначават с амбулаторно направление' } },
  /** Referrals (R-REF-07): the hospital is not contracted for the clinical pathway. */
  'referral.hospital_not_contracted': { status: 422, title: { en: 'The hospital has no RHIF contract for this clinical pathway', bg: 'Болницата няма договор с РЗОК за тази клинична пътека' } },
  /** Referrals: the practice's quarterly regulatory standard is used up. */
  'referral.budget_exhausted': { status: 422, title: { en: 'The quarterly referral standard is used up', bg: 'Регулативният стандарт за направления за тримесечието е изчерпан' } },
  /** Referrals (R-REF-02): the secondary exam is late. */
  'referral.secondary_exam_late': { status: 422, title: { en: 'The secondary exam is past its time limit', bg: 'Срокът за вторичен преглед е изтекъл' } },
  /** Referrals (R-REF-02): a secondary exam on a № 3 is booked before its primary exam. */
  'referral.secondary_before_primary': { status: 422, title: { en: 'A secondary exam comes after the primary exam on this referral', bg: 'Вторичният преглед по това направление е след първичния' } },
  /** Referrals: a referral is used once only. */
  'referral.already_used': { status: 409, title: { en: 'This referral has already been used', bg: 'Направлението вече е използвано' } },
  /** Referrals: not recorded in the NHIS yet, cancelled or refused. */
  'referral.not_issued': { status: 409, title: { en: 'The referral is not valid in the NHIS', bg: 'Направлението не е валидно в НЗИС' } },
  /** Prescriptions (R-PC-05): only after a consultation or exam. */
  'prescription.no_consultation': { status: 422, title: { en: 'A prescription is issued only after a consultation or exam', bg: 'Рецепта се издава само след консултация или преглед' } },
  /** Prescriptions (R-PC-06): no NHIF-reimbursed medicines from a phone consultation. */
  'prescription.phone_reimbursed': { status: 422, title: { en: 'NHIF-reimbursed medicines are not prescribed after a phone consultation', bg: 'Реимбурсирани от НЗОК лекарства не се предписват след консултация по телефона' } },
  /** Prescriptions: no medicine on the form. */
  'prescription.no_medicines': { status: 422, title: { en: 'Add at least one medicine', bg: 'Добавете поне едно лекарство' } },
  /** Prescriptions: one form per ICD-10 diagnosis. */
  'prescription.no_diagnosis': { status: 422, title: { en: 'A prescription is for one diagnosis', bg: 'Рецептата се издава за една диагноза' } },
  /** Prescriptions: too many products for one disease. */
  'prescription.too_many_products': { status: 422, title: { en: 'At most three medicines per disease', bg: 'Най-много три лекарствени продукта за едно заболяване' } },
  /** Prescriptions: the same active substance twice. */
  'prescription.duplicate_inn': { status: 422, title: { en: 'The same active substance is prescribed twice', bg: 'Едно и също активно вещество е предписано два пъти' } },
  /** Prescriptions: whole packages for a bounded period. */
  'prescription.quantity_invalid': { status: 422, title: { en: 'The quantity or period is not allowed', bg: 'Количеството или периодът не са допустими' } },
  /** Prescriptions: protocol medicines go on their own form. */
  'prescription.protocol_separate': { status: 422, title: { en: 'A protocol medicine goes alone on its own prescription', bg: 'Лекарство по протокол се предписва на отделна рецепта' } },
  /** Prescriptions: a protocol is needed. */
  'prescription.protocol_required': { status: 422, title: { en: 'This medicine needs an approved protocol', bg: 'Това лекарство изисква утвърден протокол' } },
  /** Prescriptions: interrupted rights on the prescription date. */
  'prescription.insurance_interrupted': { status: 422, title: { en: 'Insurance rights are interrupted: NHIF-reimbursed medicines cannot be prescribed', bg: 'Здравноосигурителните права са прекъснати: не може да се предписват реимбурсирани лекарства' } },
  /** Prescriptions: the same medicine again before 30 days, without aligning periods. */
  'prescription.too_early': { status: 422, title: { en: 'Too early for a new prescription of this medicine', bg: 'Твърде рано за нова рецепта за това лекарство' } },
  /** Prescriptions: the patient is on a protocol medicine for this disease. */
  'prescription.protocol_patient': { status: 422, title: { en: 'The patient receives a protocol medicine for this disease', bg: 'Пациентът получава лекарство по протокол за това заболяване' } },
  /** Prescriptions: the NHIF does not pay during the hospital stay. */
  'prescription.hospital_stay': { status: 422, title: { en: 'The NHIF does not pay for this during the hospital stay', bg: 'НЗОК не заплаща това по време на болничния престой' } },
  /** Referrals and prescriptions: cancelled documents are not used or changed. */
  'referral.cancelled': { status: 409, title: { en: 'The document has been cancelled', bg: 'Документът е анулиран' } },
  'rate.limited': { status: 429, title: { en: 'Too many requests', bg: 'Твърде много опити' } },
  /** The database or another dependency is not available. */
  'dependency.unavailable': { status: 503, title: { en: 'A dependency is unavailable', bg: 'Услугата временно не е достъпна' } },
  /** Anything unexpected; the detail is always generic. */
  internal: { status: 500, title: { en: 'Internal error', bg: 'Вътрешна грешка' } },
} as const satisfies Record<string, { status: number; title: { en: string; bg: string } }>;

export type ErrorCode = keyof typeof errorCatalog;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalog, code);
}
