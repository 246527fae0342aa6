// The engine's own settings (as against the console's look, kept by the console): where runs and
// progress are kept, and which k6 binary to run. Kept in a settings file beside the default data
// folder, so a data folder moved elsewhere is still found.
export interface EngineSettings {
  /** The settings file itself. */
  file: string;
  dataDir: {
    /** The folder in use now. */
    current: string;
    /** Where the folder in use was decided: SCALELAB_HOME, the settings file, or the default. */
    from: 'environment' | 'settings' | 'default';
    /** The folder saved in the settings (null: none saved). */
    saved: string | null;
    /** A saved folder that differs from the one in use: it applies at the next start (where
     *  SCALELAB_HOME does not say otherwise). */
    pendingRestart: boolean;
  };
  k6: {
    /** The k6 binary saved in the settings (null: none saved; PATH and the grafana/k6 image are looked at). */
    saved: string | null;
    /** What is found now, in the order looked at: SCALELAB_K6, the saved binary, PATH, the image. */
    found: string;
  };
}

/** A field to save, or null to forget it (back to the default). */
export interface EngineSettingsChange {
  dataDir?: string | null;
  k6Path?: string | null;
}
