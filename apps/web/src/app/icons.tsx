/** Small inline icons (no icon font: the clinic PC may have no emoji font). */
export function BellIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
      <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z" />
    </svg>
  );
}

export function MicOffIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
      <path d="M19 11a7 7 0 0 1-1.1 3.8l-1.5-1.5A5 5 0 0 0 17 11h2zM12 2a3 3 0 0 1 3 3v5.2L9 4.2A3 3 0 0 1 12 2zM3.3 2.3 2 3.6l7 7V11a3 3 0 0 0 4.4 2.6l1.6 1.6A5 5 0 0 1 7 11H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 3.5-1.5l3.9 3.9 1.3-1.3z" />
    </svg>
  );
}
