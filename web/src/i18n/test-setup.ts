// Component tests render screens synchronously: the whole catalogue is registered before any of them runs
// (the app loads it with the first route that needs it, `catalogue.ts`).
import { registerMessages } from './catalogue.js';
import { messages } from './messages.js';

registerMessages(messages);
