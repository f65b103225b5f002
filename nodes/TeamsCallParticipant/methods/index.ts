export { testGraphAppCredential } from './credentialTest';
export { searchParticipants } from './listSearch';
