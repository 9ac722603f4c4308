// Type-only view of the tfjs API: scenarios and checks receive `tf` at run time and never import it.
export type Tf = typeof import('@tensorflow/tfjs');
export type LayersModel = import('@tensorflow/tfjs').LayersModel;
export type Tensor = import('@tensorflow/tfjs').Tensor;
export type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;
export type ModelArtifacts = import('@tensorflow/tfjs').io.ModelArtifacts;
export type IOHandler = import('@tensorflow/tfjs').io.IOHandler;
export type GraphModel = import('@tensorflow/tfjs').GraphModel;
