#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary can be had; otherwise browser mode, which
// serves the same console on 127.0.0.1 and prints its URL. (The Electron host is still to come:
// until it lands, browser mode always runs, and this says so.)
import { register } from 'tsx/esm/api';

register();
console.log('ScaleLab: the desktop (Electron) host is not built yet; starting browser mode.');
const { startBrowserMode } = await import('../app/bridge/main.ts');
const { bridge } = await startBrowserMode();
const stop = () => { void bridge.close().then(() => process.exit(0)); };
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
