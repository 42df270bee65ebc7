import type { CreateConsentTemplateBody } from '../../contracts/consent.js';

/**
 * The demo facilities' consent forms (Art. 19(3): each facility defines its own). Plain language, in
 * Bulgarian and English. A real facility replaces them with its lawyer's text.
 */
export const DEMO_CONSENT_TEMPLATES: readonly CreateConsentTemplateBody[] = [
  {
    kind: 'treatment',
    title: { bg: 'Информирано съгласие за медицинска помощ от разстояние', en: 'Informed consent to remote medical care' },
    body: {
      bg: [
        'Какво ще се случи: специалистът ще ви консултира от разстояние — чрез видеовръзка или по изпратени от вас данни и изображения. Няма да ви прегледа лично.',
        'Какво може да не се получи: без пряк преглед някои находки не се виждат. Ако специалистът прецени, че е нужен личен преглед, ще ви насочи към такъв. Тогава консултацията от разстояние няма да продължи.',
        'Вашите задължения (чл. 12): да дадете пълна и вярна информация — досегашни оплаквания и лечение, диспансерно наблюдение, лекарства, които приемате, рискови фактори.',
        'Вашите данни: достъп имат само специалистът и лечебното заведение. Данните се пазят криптирани. Резултатът се записва в националното здравно досие.',
        'Свобода на избора: можете да откажете или да оттеглите съгласието си по всяко време преди услугата. Отказът не ви лишава от медицинска помощ при личен преглед.',
      ].join('\n\n'),
      en: [
        'What will happen: the specialist will advise you remotely — over a video call or from the data and images you send. There is no in-person examination.',
        'What may not work: without an in-person examination some findings cannot be seen. If the specialist decides that you need to be seen in person, they will refer you and the remote service will not go on.',
        'Your duties (Art. 12): give complete and true information — past complaints and treatment, dispensary follow-up, the medicines you take, risk factors.',
        'Your data: only the specialist and the facility can see it. It is stored encrypted. The result is recorded in your national health record.',
        'Your choice: you may refuse or withdraw your consent at any time before the service. Refusing does not take away your right to be seen in person.',
      ].join('\n\n'),
    },
  },
  {
    kind: 'recording',
    title: { bg: 'Съгласие за запис на консултацията', en: 'Consent to recording the consultation' },
    body: {
      bg: [
        'Записът е възможен само с вашето писмено съгласие (чл. 19). В съгласието се посочват причината за записа, видът му (аудио, видео, екран) и целта, за която ще се използва.',
        'Записът се пази криптиран в лечебното заведение и е достъпен само за участниците в консултацията. Всеки достъп до него се отбелязва.',
        'Можете да оттеглите съгласието по всяко време. Тогава записът спира веднага.',
      ].join('\n\n'),
      en: [
        'Recording is possible only with your written consent (Art. 19). The consent names the reason for the recording, its type (audio, video, screen) and the purpose it will be used for.',
        'The recording is kept encrypted at the facility and only the participants of the consultation can access it. Every access is logged.',
        'You can withdraw your consent at any time. The recording then stops at once.',
      ].join('\n\n'),
    },
  },
];
