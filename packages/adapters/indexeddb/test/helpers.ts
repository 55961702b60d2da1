import { deleteDB } from 'idb';

let n = 0;
/** A database name no other test uses, so tests never see each other's data. */
export function uniqueDbName(label: string): string {
  return `shopsync-test-${label}-${Date.now().toString(36)}-${++n}`;
}

export async function dropDb(name: string): Promise<void> {
  await deleteDB(name);
}
