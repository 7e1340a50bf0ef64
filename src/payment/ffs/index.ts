export { type FfsPolicy, type ItemScope, type PricedItem, priceItem, priceItems, scopeOf } from './items.ts';
export { evaluateFfsSettlement, type FfsContext, type FfsSettlement, ffsForCase, ffsMethod } from './method.ts';
