export { generateTracking, type CodegenOptions, type CodegenResult, type GeneratedFunction, type SdkBinding } from './generate.js';
