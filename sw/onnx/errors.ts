/**
 * Every problem with a model the front end cannot read or compile: the message starts with the
 * file (the `source` given to readOnnx) and, when a node is at fault, names it and its op type,
 * so that a user can find it in Netron.
 */
export class OnnxError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OnnxError';
  }
}

/** What a message says about one node of the file. */
export interface NodeRef {
  readonly name: string;
  readonly op: string;
}

export function modelError(source: string, problem: string): OnnxError {
  return new OnnxError(`${source}: ${problem}`);
}

export function nodeError(source: string, node: NodeRef, problem: string): OnnxError {
  return new OnnxError(`${source}: node '${node.name}' (${node.op}): ${problem}`);
}
