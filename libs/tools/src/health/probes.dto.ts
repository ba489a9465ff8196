import { ApiProperty } from '@nestjs/swagger';

export class LivenessView {
  @ApiProperty({ example: 'alive' }) status!: 'alive';
  @ApiProperty({ example: 12.3 }) uptimeSeconds!: number;
}

export class ReadinessView {
  @ApiProperty({ enum: ['ready', 'not_ready'], example: 'ready' }) status!: 'ready' | 'not_ready';
  @ApiProperty({ enum: ['connected', 'disconnected'], example: 'connected' }) database!:
    'connected' | 'disconnected';
  @ApiProperty({ example: 7 }) tools!: number;
}
