type Logger = ((...args: unknown[]) => void) & { extend: (namespace: string) => Logger; enabled: boolean };
declare function createDebug(namespace?: string): Logger;
export = createDebug;
