export { ConectaEventBus, type ConectaEventName, type ConectaEventPayload, type ConectaEvents } from './events.js';
