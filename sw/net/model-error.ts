/** A model the compiler cannot take, for a reason about the whole model (its inputs, outputs or shapes): the message starts with the model's name. */
export class ModelError extends Error {
  override name = 'ModelError';
}
