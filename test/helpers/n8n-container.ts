/**
 * The one n8n dependency-injection setup for every unit test that runs our nodes in n8n-core's
 * real contexts (webhook, execute, load options). Imported for its effect by the context helpers.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { InstanceSettings } from 'n8n-core';
// Not exported by n8n-core's index; the class is the container key the helpers look up.
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

/** What our nodes log through n8n's logger, for tests to assert on. */
export const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() };
Container.set(Logger, { ...logger, scoped: () => logger } as unknown as Logger);
// The real InstanceSettings reads and writes ~/.n8n/config; the contexts only need an instance id.
Container.set(InstanceSettings, { instanceId: 'unit-test' } as unknown as InstanceSettings);
// The real one starts a cleanup interval that would keep jest from exiting; no SSH is used here.
Container.set(SSHClientsManager, {} as unknown as SSHClientsManager);
