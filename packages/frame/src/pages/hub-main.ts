import "./theme.css";
import "./page.css";
import "../define.js";
import { bootHub } from "./boot-hub.js";

void bootHub(window, document);
