// The tests' seeded generator is the one kernels use for their inputs (util/random.ts).
export { xorshift } from '../../util/random';
