// Entry point of the web client.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/auth.css";
import "./styles/chat.css";
import "./styles/sidebar.css";
import "./styles/settings.css";
import "./styles/inspector.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
