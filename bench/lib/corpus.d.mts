// Types of corpus.mjs, for the TypeScript tests that run the bench corpus through the parser.
export declare function deviceNames(count: number): string[];
export declare function buildCorpus(options?: { lines?: number; devices?: number; seed?: number; when?: Date }): {
  lines: string[];
  hosts: string[];
  meanBytes: number;
  minBytes: number;
  maxBytes: number;
};
export declare function writeCorpus(path: string, options?: { lines?: number; devices?: number; seed?: number; when?: Date }): ReturnType<typeof buildCorpus>;
