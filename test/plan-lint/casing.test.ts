import { describe, expect, it } from 'vitest';
import { matchesCasing, toCasing, type Casing } from '../../src/plan-lint/index.js';

const TABLE: [Casing, string[], string[]][] = [
  ['Title Case', ['Navbar Click', 'Add to Cart', 'Update QoS', 'Step 2 Completed', 'To Do'], ['navbar click', 'Navbar click', 'Navbar_Click', 'to Do', 'Navbar  Click', ' Navbar']],
  ['Sentence case', ['Navbar click', 'View PDP', 'Add to cart'], ['navbar click', 'Navbar Click']],
  ['lower case', ['navbar click'], ['Navbar click', 'navbar_click']],
  ['snake_case', ['product_id', 'item_count2'], ['productId', 'Product_id', 'product__id', '_id']],
  ['camelCase', ['productId', 'sku'], ['ProductId', 'product_id']],
  ['PascalCase', ['ProductId'], ['productId', 'Product_Id']],
  ['kebab-case', ['product-id'], ['product_id', 'Product-id']],
  ['SCREAMING_SNAKE_CASE', ['PRODUCT_ID'], ['product_id']],
];

describe('casings', () => {
  for (const [casing, good, bad] of TABLE) {
    it(casing, () => {
      for (const n of good) expect(matchesCasing(n, casing), n).toBe(true);
      for (const n of bad) expect(matchesCasing(n, casing), n).toBe(false);
    });
  }
  it('rewrites any spelling into a casing', () => {
    expect(toCasing('addToCart', 'Title Case')).toBe('Add to Cart');
    expect(toCasing('Add to Cart', 'snake_case')).toBe('add_to_cart');
    expect(toCasing('product_id', 'camelCase')).toBe('productId');
    expect(toCasing('HTMLParser', 'snake_case')).toBe('html_parser');
    for (const [casing, good] of TABLE) for (const n of good) expect(matchesCasing(toCasing(n, casing), casing), `${casing}: ${n}`).toBe(true);
  });
});
