/** UI strings. English is the reference; German covers every key (the type makes a missing one an error). */
const en = {
  loading: "Loading…",
  selections: "Selections",
  noSelections: "No selections",
  clearAll: "Clear all",
  clearField: "Clear selection in {field}",
  others: "Others",
  total: "Total",
  noData: "No data",
  search: "Search",
  previousPage: "Previous page",
  nextPage: "Next page",
  pageOf: "Page {page} of {pages}",
  rowsOf: "{from}–{to} of {total}",
  sortBy: "Sort by {column}",
  chartOf: "{type} chart of {measure} by {dimension}",
  chartBar: "1 bar",
  chartBars: "{count} bars",
  chartPoint: "1 point",
  chartPoints: "{count} points",
  chartSlice: "1 slice",
  chartSlices: "{count} slices",
  chartHighest: "highest {label} {value}",
  chartLowest: "lowest {label} {value}",
  markSelected: "selected",
  markExcluded: "excluded",
  showAsTable: "Show as table",
  announceSelected: "{field}: {values} selected",
  announceCleared: "Selection in {field} cleared",
  announceAllCleared: "All selections cleared",
  announceLoadError: "{object} could not be loaded: {message}",
  exportCsv: "Export data (CSV)",
  clearSelection: "Clear selection",
  moreActions: "More actions",
  retry: "Try again",
  sheets: "Sheets",
  hubTitle: "Hub",
  streams: "Streams",
  noApps: "There are no apps you can open here.",
  // The hub's button reads "Sheets"; its accessible name starts with that visible text (WCAG 2.5.3).
  sheetsOf: "Sheets of {app}",
  logIn: "Log in",
  logOut: "Log out",
  userName: "User name",
  password: "Password",
  loginFailed: "The user name or password is not correct.",
  loggedInAs: "Signed in as {user}",
  anonymous: "Anonymous visitor",
  sessionExpiring: "Your session ends soon because of inactivity.",
  stayConnected: "Continue",
  offline: "The server cannot be reached. Trying again in the background…",
  retryNow: "Retry",
  errorTitle_NO_ACCESS_PASS: "This dashboard isn't available right now",
  errorText_NO_ACCESS_PASS: "Please try again later.",
  errorTitle_SERVER_URL_MISMATCH: "This dashboard isn't available right now",
  errorText_SERVER_URL_MISMATCH:
    "The page that shows it is not set up correctly. Please let the site's owner know.",
  errorTitle_ANONYMOUS_LIMIT: "Too many visits",
  errorText_ANONYMOUS_LIMIT:
    "Too many visits were started from your address or network. Please try again in a few minutes.",
  errorTitle_APP_NOT_FOUND: "App not available",
  errorText_APP_NOT_FOUND: "This app does not exist or you are not allowed to open it.",
  errorTitle_ANONYMOUS_DISABLED: "Sign-in required",
  errorText_ANONYMOUS_DISABLED: "Anonymous access is turned off for this address. Please log in.",
  errorTitle_ORIGIN_NOT_ALLOWED: "Embedding not allowed",
  errorText_ORIGIN_NOT_ALLOWED:
    "This page is not on the list of sites allowed to show this content. Ask the administrator to add it.",
  errorTitle_SESSION_EXPIRED: "Session expired",
  errorText_SESSION_EXPIRED: "Your session ended. Reload to continue.",
  errorTitle_UNAVAILABLE: "Server unreachable",
  errorText_UNAVAILABLE: "The server cannot be reached right now. Check the connection and try again.",
  errorTitle_BUSY: "Server busy",
  errorText_BUSY: "The server is busy with other visitors. Try again in a moment.",
  errorTitle_QUERY_TIMEOUT: "Too long to compute",
  errorText_QUERY_TIMEOUT: "This view took too long to compute. Narrow the selections and try again.",
  errorTitle_OTHER: "Something went wrong",
  errorText_OTHER: "The content could not be shown.",
  errorCode: "Error code: {code}",
};

export type StringKey = keyof typeof en;
type Catalogue = Record<StringKey, string>;

const de: Catalogue = {
  loading: "Wird geladen…",
  selections: "Auswahlen",
  noSelections: "Keine Auswahlen",
  clearAll: "Alle löschen",
  clearField: "Auswahl in {field} löschen",
  others: "Andere",
  total: "Gesamt",
  noData: "Keine Daten",
  search: "Suchen",
  previousPage: "Vorherige Seite",
  nextPage: "Nächste Seite",
  pageOf: "Seite {page} von {pages}",
  rowsOf: "{from}–{to} von {total}",
  sortBy: "Nach {column} sortieren",
  chartOf: "{type}diagramm: {measure} nach {dimension}",
  chartBar: "1 Balken",
  chartBars: "{count} Balken",
  chartPoint: "1 Punkt",
  chartPoints: "{count} Punkte",
  chartSlice: "1 Segment",
  chartSlices: "{count} Segmente",
  chartHighest: "höchster Wert {label} {value}",
  chartLowest: "niedrigster Wert {label} {value}",
  markSelected: "ausgewählt",
  markExcluded: "ausgeschlossen",
  showAsTable: "Als Tabelle zeigen",
  announceSelected: "{field}: {values} ausgewählt",
  announceCleared: "Auswahl in {field} gelöscht",
  announceAllCleared: "Alle Auswahlen gelöscht",
  announceLoadError: "{object} konnte nicht geladen werden: {message}",
  exportCsv: "Daten exportieren (CSV)",
  clearSelection: "Auswahl löschen",
  moreActions: "Weitere Aktionen",
  retry: "Erneut versuchen",
  sheets: "Arbeitsblätter",
  hubTitle: "Hub",
  streams: "Streams",
  noApps: "Hier gibt es keine Apps, die Sie öffnen können.",
  sheetsOf: "Arbeitsblätter von {app}",
  logIn: "Anmelden",
  logOut: "Abmelden",
  userName: "Benutzername",
  password: "Passwort",
  loginFailed: "Benutzername oder Passwort ist falsch.",
  loggedInAs: "Angemeldet als {user}",
  anonymous: "Anonymer Besucher",
  sessionExpiring: "Ihre Sitzung endet bald wegen Inaktivität.",
  stayConnected: "Weiter",
  offline: "Der Server ist nicht erreichbar. Neue Versuche laufen im Hintergrund…",
  retryNow: "Erneut versuchen",
  errorTitle_NO_ACCESS_PASS: "Dieses Dashboard ist gerade nicht verfügbar",
  errorText_NO_ACCESS_PASS: "Bitte versuchen Sie es später erneut.",
  errorTitle_SERVER_URL_MISMATCH: "Dieses Dashboard ist gerade nicht verfügbar",
  errorText_SERVER_URL_MISMATCH:
    "Die Seite, die es zeigt, ist nicht richtig eingerichtet. Bitte informieren Sie den Betreiber der Website.",
  errorTitle_ANONYMOUS_LIMIT: "Zu viele Besuche",
  errorText_ANONYMOUS_LIMIT:
    "Von Ihrer Adresse oder Ihrem Netzwerk wurden zu viele Besuche gestartet. Bitte versuchen Sie es in einigen Minuten erneut.",
  errorTitle_APP_NOT_FOUND: "App nicht verfügbar",
  errorText_APP_NOT_FOUND: "Diese App existiert nicht oder Sie dürfen sie nicht öffnen.",
  errorTitle_ANONYMOUS_DISABLED: "Anmeldung erforderlich",
  errorText_ANONYMOUS_DISABLED:
    "Anonymer Zugriff ist für diese Adresse deaktiviert. Bitte melden Sie sich an.",
  errorTitle_ORIGIN_NOT_ALLOWED: "Einbetten nicht erlaubt",
  errorText_ORIGIN_NOT_ALLOWED:
    "Diese Seite steht nicht auf der Liste der Websites, die diesen Inhalt zeigen dürfen. Bitten Sie den Administrator, sie hinzuzufügen.",
  errorTitle_SESSION_EXPIRED: "Sitzung abgelaufen",
  errorText_SESSION_EXPIRED: "Ihre Sitzung ist beendet. Laden Sie die Seite neu, um fortzufahren.",
  errorTitle_UNAVAILABLE: "Server nicht erreichbar",
  errorText_UNAVAILABLE:
    "Der Server ist gerade nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut.",
  errorTitle_BUSY: "Server ausgelastet",
  errorText_BUSY: "Der Server ist mit anderen Besuchern beschäftigt. Versuchen Sie es gleich noch einmal.",
  errorTitle_QUERY_TIMEOUT: "Berechnung zu lang",
  errorText_QUERY_TIMEOUT:
    "Die Berechnung dieser Ansicht hat zu lange gedauert. Schränken Sie die Auswahl ein und versuchen Sie es erneut.",
  errorTitle_OTHER: "Etwas ist schiefgelaufen",
  errorText_OTHER: "Der Inhalt konnte nicht angezeigt werden.",
  errorCode: "Fehlercode: {code}",
};

const CATALOGUES: Record<string, Catalogue> = { en, de };

/** A translator for `locale` (its language picks the catalogue; anything unknown falls back to English). */
export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

export function translator(locale: string): Translate {
  const language = locale.toLowerCase().split("-")[0] ?? "en";
  const catalogue = CATALOGUES[language] ?? en;
  return (key, params) => {
    const template = catalogue[key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) =>
      params[name] === undefined ? match : String(params[name]),
    );
  };
}

/** Error screens have dedicated words for these codes; everything else reads as a generic failure. */
export const SCREEN_CODES = [
  "NO_ACCESS_PASS",
  "SERVER_URL_MISMATCH",
  "ANONYMOUS_LIMIT",
  "APP_NOT_FOUND",
  "ANONYMOUS_DISABLED",
  "ORIGIN_NOT_ALLOWED",
  "SESSION_EXPIRED",
  "UNAVAILABLE",
  "BUSY",
  "QUERY_TIMEOUT",
] as const;

/** The title and text for `code`; `known` when they are the code's own words, not the generic ones. */
export function errorWords(t: Translate, code: string): { title: string; text: string; known: boolean } {
  const known = (SCREEN_CODES as readonly string[]).includes(code);
  const key = known ? code : "OTHER";
  return {
    title: t(`errorTitle_${key}` as StringKey),
    text: t(`errorText_${key}` as StringKey),
    known,
  };
}
