// The one IPC channel between the Electron main process and the preload: RPC messages only.
export const RPC_CHANNEL = 'scalelab:rpc';
