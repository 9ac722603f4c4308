import { expect } from 'chai';
import { describeOrder, featureOrders, permuteRows } from './feature-permutations.ts';

describe('feature orders', () => {
  const row = (n: number) => Array.from({ length: n }, (_, i) => i * 10);

  it('tries every swap, then every other permutation of up to 6 features', () => {
    const orders = featureOrders([row(4)], true);
    expect(orders.filter((o) => o.kind === 'swap')).to.have.length(6);
    expect(orders).to.have.length(4 * 3 * 2 - 1);
    expect(new Set(orders.map((o) => o.order.join())).size).to.equal(orders.length);
  });

  it('tries swaps and the rotation beyond 6 features, and swaps only without the search', () => {
    expect(featureOrders([row(7)], true).map((o) => o.kind)).to.deep.equal([...Array<string>(21).fill('swap'), 'rotation']);
    expect(featureOrders([row(4)], false).every((o) => o.kind === 'swap' || o.kind === 'rotation')).to.equal(true);
  });

  it('permutes the last axis of sequences and only the numeric named inputs, naming the columns', () => {
    const [swap] = featureOrders([{ sensors: [1, 2, 3], site: 'north' }], false);
    expect(describeOrder(swap!)).to.equal('sensors[0] and sensors[1] swapped');
    expect(permuteRows([{ sensors: [1, 2, 3], site: 'north' }], swap!)).to.deep.equal([{ sensors: [2, 1, 3], site: 'north' }]);
    const [seq] = featureOrders(
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
      false,
    );
    expect(
      permuteRows(
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        seq!,
      ),
    ).to.deep.equal([
      [
        [2, 1],
        [4, 3],
      ],
    ]);
    expect(describeOrder(seq!)).to.equal('column 0 and column 1 swapped');
    expect(featureOrders(['some text'], true)).to.deep.equal([]);
  });
});
