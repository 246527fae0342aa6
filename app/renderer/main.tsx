import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { LabProvider } from './hooks/use-lab.js';
import { connectToLab } from './lab-connection.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LabProvider connect={connectToLab}>
      <App />
    </LabProvider>
  </StrictMode>,
);
