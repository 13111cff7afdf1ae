/** The identity provider's redirect target: hands the raw answer to the relay page, which closes it. */
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

void broadcastResponseToMainFrame();
