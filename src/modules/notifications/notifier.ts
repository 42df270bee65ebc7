import nodemailer from 'nodemailer';
import type { Redacted } from '../../platform/config.js';

/** One message on one channel. Security: text is operational only — never clinical content. */
export interface OutgoingMessage {
  channel: 'email' | 'sms';
  /** An e-mail address or a phone number. */
  to: string;
  /** E-mail subject (ignored for SMS). */
  subject: string;
  text: string;
}

/** Sends e-mail and SMS behind one interface (SMTP, an HTTP SMS gateway, or the development sink). */
export interface Notifier {
  /**
   * Sends one message.
   * @param msg - the message
   * @param notificationId - the notification row it belongs to (the sink keeps it)
   * @throws when the channel is not configured or the transport fails (the outbox retries)
   */
  send(msg: OutgoingMessage, notificationId: string): Promise<void>;
}

/**
 * E-mail over SMTP with nodemailer.
 * @param opts - SMTP URL (secret) and From header
 * @returns a notifier for the `email` channel
 */
export function smtpNotifier(opts: { url: Redacted; from: string }): Notifier {
  const transport = nodemailer.createTransport(opts.url.reveal());
  return {
    async send(msg) {
      await transport.sendMail({ from: opts.from, to: msg.to, subject: msg.subject, text: msg.text });
    },
  };
}

/**
 * SMS through an HTTP gateway: POST JSON `{to, from, text}` with a bearer token; any 2xx is success.
 * @param opts - gateway URL, token (secret), sender name and the fetch to use (tests)
 * @returns a notifier for the `sms` channel
 */
export function httpSmsNotifier(opts: { url: string; token: Redacted | undefined; sender: string; fetchImpl?: typeof fetch }): Notifier {
  const doFetch = opts.fetchImpl ?? fetch;
  return {
    async send(msg) {
      const res = await doFetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token.reveal()}` } : {}) },
        body: JSON.stringify({ to: msg.to, from: opts.sender, text: msg.text }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    },
  };
}

/** A channel with no transport: every send fails, so the failure is retried and shown to administrators. */
export function unconfiguredNotifier(channel: 'email' | 'sms'): Notifier {
  return {
    async send() {
      throw new Error(`${channel} is not configured (set ${channel === 'email' ? 'SMTP_URL' : 'SMS_GATEWAY_URL'} or DEV_MAIL_SINK)`);
    },
  };
}

/**
 * Routes each message to the notifier of its channel.
 * @param byChannel - e-mail and SMS notifiers
 * @returns one notifier
 */
export function channelNotifier(byChannel: { email: Notifier; sms: Notifier }): Notifier {
  return {
    send: (msg, id) => byChannel[msg.channel].send(msg, id),
  };
}
