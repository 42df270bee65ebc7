import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  CentreInputSchema,
  CentreListSchema,
  CentreMemberInputSchema,
  CentreSchema,
  CentreUpdateSchema,
  CertificateInputSchema,
  CertificateListSchema,
  CertificateSchema,
  EmergencyContractInputSchema,
  EmergencyContractListSchema,
  EmergencyContractSchema,
  FacilityChildParamsSchema,
  FacilityInputSchema,
  FacilityListSchema,
  FacilitySchema,
  FacilityStatusChangeSchema,
  FacilityUpdateSchema,
  IdParamsSchema,
  NhisRegistrationSchema,
  PractitionerInputSchema,
  PractitionerListSchema,
  PractitionerRoleInputSchema,
  PractitionerSchema,
  PractitionerUpdateSchema,
  ReferenceDataSchema,
  ServiceInputSchema,
  ServiceListSchema,
  ServiceSchema,
  ServiceUpdateSchema,
  VersionBodySchema,
} from '../../contracts/registry.js';
import { requireRole } from '../identity/index.js';
import type { RegistryService } from './registry.service.js';
import type { NhisRegistrationService } from './nhis-registration.js';

const tags = ['registry'];
const admin = requireRole('facility_admin', 'coordinator');
const coordinator = requireRole('coordinator');

/**
 * Registry administration for facility administrators (own facilities) and coordinators.
 * Routes are thin: the service authorises each facility, owns the transaction and audits the change.
 */
export const registryRoutes: FastifyPluginAsyncZod<{ registry: RegistryService; nhisRegistration: NhisRegistrationService }> = async (app, { registry, nhisRegistration }) => {
  app.get('/registry/reference', { schema: { tags, summary: 'Facility types, specialties (CL006), RHIF regions and service kinds', response: { 200: ReferenceDataSchema, ...problemResponses } } }, async () => registry.getReferenceData());

  // ---- facilities
  app.get('/admin/facilities', { preHandler: admin, schema: { tags, summary: 'Facilities the caller administers', response: { 200: FacilityListSchema, ...problemResponses } } }, async (req) => registry.listManagedFacilities(req.ctx));
  app.post('/admin/facilities', { preHandler: coordinator, schema: { tags, summary: 'Register a facility (Art. 4: R-TM-02 refuses ineligible types)', body: FacilityInputSchema, response: { 201: FacilitySchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await registry.registerFacility(req.ctx, req.body)),
  );
  app.get('/admin/facilities/:id', { preHandler: admin, schema: { tags, summary: 'A facility', params: IdParamsSchema, response: { 200: FacilitySchema, ...problemResponses } } }, async (req) => registry.getFacility(req.ctx, req.params.id));
  // Art. 24 (R-TM-34): the facility's entry in the NHIS telemedicine database.
  app.get('/admin/facilities/:id/nhis-registration', { preHandler: admin, schema: { tags, summary: "The facility's entry in the NHIS database of telemedicine facilities (Art. 24)", params: IdParamsSchema, response: { 200: NhisRegistrationSchema, ...problemResponses } } }, async (req) =>
    nhisRegistration.getRegistration(req.ctx, req.params.id),
  );
  app.post('/admin/facilities/:id/nhis-registration/sync', { preHandler: admin, schema: { tags, summary: 'Send the facility’s entry to the NHIS now', params: IdParamsSchema, response: { 202: z.null(), ...problemResponses } } }, async (req, reply) => {
    await nhisRegistration.requestSync(req.ctx, req.params.id);
    return reply.code(202).send(null);
  });
  app.patch('/admin/facilities/:id', { preHandler: admin, schema: { tags, summary: "Change a facility's data", params: IdParamsSchema, body: FacilityUpdateSchema, response: { 200: FacilitySchema, ...problemResponses } } }, async (req) =>
    registry.updateFacility(req.ctx, req.params.id, req.body),
  );
  app.post('/admin/facilities/:id/status', { preHandler: admin, schema: { tags, summary: 'Suspend or reactivate a facility', params: IdParamsSchema, body: FacilityStatusChangeSchema, response: { 200: FacilitySchema, ...problemResponses } } }, async (req) =>
    registry.setFacilityStatus(req.ctx, req.params.id, req.body),
  );

  // ---- certificates (Art. 25-26)
  app.get('/admin/facilities/:id/certificates', { preHandler: admin, schema: { tags, summary: 'Certificates and technical documentation, with expiry state', params: IdParamsSchema, response: { 200: CertificateListSchema, ...problemResponses } } }, async (req) =>
    registry.listCertificates(req.ctx, req.params.id),
  );
  app.post('/admin/facilities/:id/certificates', { preHandler: admin, schema: { tags, summary: 'Record a certificate or technical document', params: IdParamsSchema, body: CertificateInputSchema, response: { 201: CertificateSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await registry.recordCertificate(req.ctx, req.params.id, req.body)),
  );
  app.post('/admin/facilities/:id/certificates/:childId/withdraw', { preHandler: admin, schema: { tags, summary: 'Withdraw a certificate', params: FacilityChildParamsSchema, response: { 204: z.null(), ...problemResponses } } }, async (req, reply) => {
    await registry.withdrawCertificate(req.ctx, req.params.id, req.params.childId);
    return reply.code(204).send(null);
  });

  // ---- specialists
  app.get('/admin/facilities/:id/practitioners', { preHandler: admin, schema: { tags, summary: 'Specialists working for the facility', params: IdParamsSchema, response: { 200: PractitionerListSchema, ...problemResponses } } }, async (req) =>
    registry.listPractitioners(req.ctx, req.params.id),
  );
  app.post('/admin/practitioners', { preHandler: admin, schema: { tags, summary: 'Register a specialist (UIN validated)', body: PractitionerInputSchema, response: { 201: PractitionerSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await registry.registerPractitioner(req.ctx, req.body)),
  );
  app.get('/admin/practitioners', { preHandler: admin, schema: { tags, summary: 'Find a registered specialist by UIN', querystring: z.object({ uin: z.string().regex(/^\d{9,10}$/) }), response: { 200: PractitionerSchema, ...problemResponses } } }, async (req) =>
    registry.findPractitionerByUin(req.ctx, req.query.uin),
  );
  app.patch('/admin/practitioners/:id', { preHandler: admin, schema: { tags, summary: "Change a specialist's names, specialties or active flag", params: IdParamsSchema, body: PractitionerUpdateSchema, response: { 200: PractitionerSchema, ...problemResponses } } }, async (req) =>
    registry.updatePractitioner(req.ctx, req.params.id, req.body),
  );
  app.put('/admin/facilities/:id/practitioners/:childId', { preHandler: admin, schema: { tags, summary: 'Add a specialist to the facility, or change whether they work and are listed there', params: FacilityChildParamsSchema, body: PractitionerRoleInputSchema, response: { 200: PractitionerSchema, ...problemResponses } } }, async (req) =>
    registry.setPractitionerRole(req.ctx, req.params.id, req.params.childId, req.body),
  );

  // ---- services (Art. 7, 15)
  app.get('/admin/facilities/:id/services', { preHandler: admin, schema: { tags, summary: "The facility's services, any status", params: IdParamsSchema, response: { 200: ServiceListSchema, ...problemResponses } } }, async (req) => registry.listServices(req.ctx, req.params.id));
  app.post('/admin/facilities/:id/services', { preHandler: admin, schema: { tags, summary: 'Create a service in draft (Art. 7 exclusions: R-TM-13/16/17)', params: IdParamsSchema, body: ServiceInputSchema, response: { 201: ServiceSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await registry.createService(req.ctx, req.params.id, req.body)),
  );
  app.patch('/admin/facilities/:id/services/:childId', { preHandler: admin, schema: { tags, summary: 'Change a service', params: FacilityChildParamsSchema, body: ServiceUpdateSchema, response: { 200: ServiceSchema, ...problemResponses } } }, async (req) =>
    registry.updateService(req.ctx, req.params.id, req.params.childId, req.body),
  );
  app.post('/admin/facilities/:id/services/:childId/publish', { preHandler: admin, schema: { tags, summary: 'Publish a service (Art. 15)', params: FacilityChildParamsSchema, body: VersionBodySchema, response: { 200: ServiceSchema, ...problemResponses } } }, async (req) =>
    registry.publishService(req.ctx, req.params.id, req.params.childId, req.body.version),
  );
  app.post('/admin/facilities/:id/services/:childId/withdraw', { preHandler: admin, schema: { tags, summary: 'Withdraw a service from the directory', params: FacilityChildParamsSchema, body: VersionBodySchema, response: { 200: ServiceSchema, ...problemResponses } } }, async (req) =>
    registry.withdrawService(req.ctx, req.params.id, req.params.childId, req.body.version),
  );

  // ---- centres (Art. 5)
  app.get('/admin/centres', { preHandler: admin, schema: { tags, summary: 'Telemedicine centres', response: { 200: CentreListSchema, ...problemResponses } } }, async (req) => registry.listCentres(req.ctx));
  app.post('/admin/centres', { preHandler: coordinator, schema: { tags, summary: 'Create a centre in draft', body: CentreInputSchema, response: { 201: CentreSchema, ...problemResponses } } }, async (req, reply) => reply.code(201).send(await registry.createCentre(req.ctx, req.body)));
  app.get('/admin/centres/:id', { preHandler: admin, schema: { tags, summary: 'A centre, with what its contract still lacks', params: IdParamsSchema, response: { 200: CentreSchema, ...problemResponses } } }, async (req) => registry.getCentre(req.ctx, req.params.id));
  app.patch('/admin/centres/:id', { preHandler: coordinator, schema: { tags, summary: "Change a centre's contract data", params: IdParamsSchema, body: CentreUpdateSchema, response: { 200: CentreSchema, ...problemResponses } } }, async (req) => registry.updateCentre(req.ctx, req.params.id, req.body));
  app.put('/admin/centres/:id/members', { preHandler: coordinator, schema: { tags, summary: 'Add a member or replace its rights, obligations and structures', params: IdParamsSchema, body: CentreMemberInputSchema, response: { 200: CentreSchema, ...problemResponses } } }, async (req) =>
    registry.setCentreMember(req.ctx, req.params.id, req.body),
  );
  app.delete('/admin/centres/:id/members/:childId', { preHandler: coordinator, schema: { tags, summary: 'Remove a member', params: FacilityChildParamsSchema, response: { 200: CentreSchema, ...problemResponses } } }, async (req) =>
    registry.removeCentreMember(req.ctx, req.params.id, req.params.childId),
  );
  app.post('/admin/centres/:id/activate', { preHandler: coordinator, schema: { tags, summary: 'Activate a centre (R-TM-21: complete contract required)', params: IdParamsSchema, body: VersionBodySchema, response: { 200: CentreSchema, ...problemResponses } } }, async (req) =>
    registry.activateCentre(req.ctx, req.params.id, req.body.version),
  );
  app.post('/admin/centres/:id/suspend', { preHandler: coordinator, schema: { tags, summary: 'Suspend a centre', params: IdParamsSchema, body: VersionBodySchema, response: { 200: CentreSchema, ...problemResponses } } }, async (req) =>
    registry.suspendCentre(req.ctx, req.params.id, req.body.version),
  );

  // ---- emergency contracts (Art. 14(3))
  app.get('/admin/facilities/:id/emergency-contracts', { preHandler: admin, schema: { tags, summary: 'Emergency-consultation contracts of a facility', params: IdParamsSchema, response: { 200: EmergencyContractListSchema, ...problemResponses } } }, async (req) =>
    registry.listEmergencyContracts(req.ctx, req.params.id),
  );
  app.post('/admin/emergency-contracts', { preHandler: admin, schema: { tags, summary: 'Record an emergency-consultation contract', body: EmergencyContractInputSchema, response: { 201: EmergencyContractSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await registry.createEmergencyContract(req.ctx, req.body)),
  );
  app.post('/admin/emergency-contracts/:id/terminate', { preHandler: admin, schema: { tags, summary: 'End a contract today', params: IdParamsSchema, body: VersionBodySchema, response: { 200: EmergencyContractSchema, ...problemResponses } } }, async (req) =>
    registry.terminateEmergencyContract(req.ctx, req.params.id, req.body.version),
  );
};
