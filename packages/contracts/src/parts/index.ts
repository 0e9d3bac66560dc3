export { jsonSlices, type JsonSlice } from './json-slices.js';
export { PartGroup } from './part-group.js';
export {
  CONFIG_PART_SCHEMA,
  PART_SCHEMA,
  configPartMessages,
  mayBeMessagePart,
  mayBePart,
  parseMessagePart,
  parsePart,
  readPart,
  splitMessage,
  type ConfigPartMessage,
  type PartMessage,
} from './wire-forms.js';
export { reassembleParts, type ReassembledMessages } from './reassemble.js';
