export { testGraphAppCredential } from '../../shared/methods/credentialTest';
export { searchParticipants } from './listSearch';
