export { createWooCommerceFake, type WooCommerceFake, type WooCommerceFakeOptions } from './woocommerce-fake.js';
