export { decodeHtmlEntities } from './html-entities.js';
