/** The data set the tests seed (smaller than the real one, so stacks come up fast); product ids
 *  1..products exist in it. */
export const TEST_SEED = { products: 2_000, orders: 40_000 };
