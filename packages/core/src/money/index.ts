export { formatScaledDecimal, parseScaledDecimal, type DecimalParseOptions } from './decimal.js';
export { formatCents, parseCents, sumCents, type Cents } from './money.js';
export { QUANTITY_SCALE, floorUnits, formatQuantity, parseQuantity, units, type QuantityMilli } from './quantity.js';
export { localDateTimeToInstant, instantToLocalDateTime, formatDateBr, parseDateBr } from './time.js';
