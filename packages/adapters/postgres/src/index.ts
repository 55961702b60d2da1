/** @shopsync/postgres: storage for @shopsync/core on PostgreSQL, shared by many processes. */
export {};
