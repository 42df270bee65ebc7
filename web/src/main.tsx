import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Base styles first, so component styles that follow can refine them.
import './styles/base.css';
import './components/ui.css';
import { App } from './app/app.js';
import { startI18n } from './i18n/index.js';

const container = document.getElementById('root');
if (!container) throw new Error('web/index.html must contain <div id="root">.');

void startI18n().then(() =>
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
