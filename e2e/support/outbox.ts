// The development mail sink's files, read as a person running the demo would open them.
export { readOutbox, waitForMessage, type SinkMessage } from '../../src/test/mail-sink.js';
