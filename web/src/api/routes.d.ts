/** The API's route table, written into the bundle at build time (see `web/vite.config.ts`); typed in client.ts. */
declare module 'virtual:dossier-routes' {
  const routes: unknown;
  export default routes;
}
