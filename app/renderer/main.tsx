import '@radix-ui/themes/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { LabProvider } from './hooks/use-lab.js';
import { connectToLab } from './lab-connection.js';
import { SettingsProvider } from './settings/use-settings.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SettingsProvider>
      <LabProvider connect={connectToLab}>
        <App />
      </LabProvider>
    </SettingsProvider>
  </StrictMode>,
);
