/**
 * The models an accuracy evaluation takes (docs/bench.md#accuracy): any list of ONNX files, each
 * with the name of the model it is a version of and the sparsity it has, so that the trained
 * models' manifest and files named on the command line become the same list.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import { parsePattern } from '../../sparse/pattern.js';

export interface AccuracyModel {
  /** The model's name, shared by its dense and sparse versions ('resnet', 'vit'): the drop of a sparse version is against its dense one. */
  readonly model: string;
  /** 'dense', or the N:M pattern of its prunable layers, as users write it ("1:8"). */
  readonly nm: string;
  /** The ONNX file (float, QDQ or QOperator). */
  readonly file: string;
  /**
   * 'trained': the pattern is in the weights already (N:M training), nothing is pruned and each
   * layer runs sparse where its weights have the pattern. 'pruned': the compiler prunes the
   * prunable layers by magnitude after training (docs/compiler.md), for float models.
   */
  readonly sparsity: 'trained' | 'pruned';
  /** Top-1 of the float model in percent, when its training reported it. */
  readonly floatTop1?: number;
  /** Top-1 of its int8 fake-quantized form in the training framework, percent, when reported. */
  readonly qatTop1?: number;
}

/** The model's N:M pattern, undefined when dense. */
export const patternOf = (model: AccuracyModel): SparsityPattern | undefined => (model.nm === 'dense' ? undefined : parsePattern(model.nm));

/** How a model is named in progress lines and errors. */
export const modelLabel = (model: AccuracyModel): string => `${model.model} ${model.nm}`;
