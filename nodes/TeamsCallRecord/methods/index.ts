export { testGraphAppCredential } from '../../shared/methods/credentialTest';
