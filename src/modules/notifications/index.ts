/**
 * Notifications: e-mail (SMTP) and SMS (HTTP gateway) behind one `Notifier`, a development
 * sink, per-recipient idempotent delivery from outbox handlers, and the administrators' view.
 */
export { createNotificationsService, type NotificationsService, type Delivery, type NotificationRecipient } from './notifications.service.js';
export { smtpNotifier, httpSmsNotifier, unconfiguredNotifier, channelNotifier, type Notifier, type OutgoingMessage } from './notifier.js';
export { notificationsRoutes } from './notifications.routes.js';
export { fileSinkNotifier, renderEml } from './file-sink.js';
export { renderNotification, type NotificationMessage, type RequestChange, type StaffChange as StaffChangeWords, type When, type Lang } from './texts.js';
export { smsLength, smsEncoding } from './sms-text.js';
