import type { EntityManager } from 'typeorm';
import { icd10Chapter } from '@caunoi/shared';
import { parseIcd10Csv } from './icd10-csv';

/**
 * A small subset of the ICD-10 list for the demo, around its cases (respiratory, tuberculosis,
 * lung cancer, cardiovascular, diabetes, emergencies). A deployment imports the Ministry's full
 * list as CSV (`POST /api/icd10/import`), in this same format.
 */
export const DEMO_ICD10_CSV = `code,name_vi,name_en
A09,Tiêu chảy và viêm dạ dày ruột do nhiễm trùng,Infectious gastroenteritis and colitis
A15.0,"Lao phổi, xác nhận bằng soi đờm","Tuberculosis of lung, confirmed by sputum microscopy"
A16.2,"Lao phổi, không xác nhận vi khuẩn học hoặc mô học","Tuberculosis of lung, without bacteriological or histological confirmation"
A90,Sốt Dengue,Dengue fever [classical dengue]
A91,Sốt xuất huyết Dengue,Dengue haemorrhagic fever
B20,Bệnh do HIV gây bệnh nhiễm trùng và ký sinh trùng,HIV disease resulting in infectious and parasitic diseases
B90.9,Di chứng lao hô hấp và lao không xác định,Sequelae of respiratory and unspecified tuberculosis
C22.0,Ung thư biểu mô tế bào gan,Liver cell carcinoma
C34.1,"U ác thùy trên, phế quản hoặc phổi","Malignant neoplasm: upper lobe, bronchus or lung"
C34.9,"U ác phế quản hoặc phổi, không xác định","Malignant neoplasm: bronchus or lung, unspecified"
C50.9,"U ác vú, không xác định","Malignant neoplasm: breast, unspecified"
E05.0,Nhiễm độc giáp với bướu giáp lan tỏa,Thyrotoxicosis with diffuse goitre
E11.9,Đái tháo đường típ 2 không có biến chứng,Type 2 diabetes mellitus without complications
I10,Tăng huyết áp vô căn (nguyên phát),Essential (primary) hypertension
I21.9,"Nhồi máu cơ tim cấp, không xác định","Acute myocardial infarction, unspecified"
I50.9,"Suy tim, không xác định","Heart failure, unspecified"
I61.9,"Xuất huyết trong não, không xác định","Intracerebral haemorrhage, unspecified"
I63.9,"Nhồi máu não, không xác định","Cerebral infarction, unspecified"
J12.8,Viêm phổi do virus khác,Other viral pneumonia
J15.9,"Viêm phổi do vi khuẩn, không xác định","Bacterial pneumonia, unspecified"
J18.9,"Viêm phổi, không xác định","Pneumonia, unspecified"
J20.9,"Viêm phế quản cấp, không xác định","Acute bronchitis, unspecified"
J44.1,Bệnh phổi tắc nghẽn mạn tính có đợt cấp,Chronic obstructive pulmonary disease with acute exacerbation
J45.9,"Hen phế quản, không xác định","Asthma, unspecified"
J84.1,Bệnh phổi kẽ khác có xơ hóa,Other interstitial pulmonary diseases with fibrosis
J90,Tràn dịch màng phổi,Pleural effusion
J93.9,"Tràn khí màng phổi, không xác định","Pneumothorax, unspecified"
J96.0,Suy hô hấp cấp,Acute respiratory failure
K35.8,Viêm ruột thừa cấp khác,Other acute appendicitis
K74.6,Xơ gan khác và không xác định,Other and unspecified cirrhosis of liver
K92.2,"Xuất huyết tiêu hóa, không xác định","Gastrointestinal haemorrhage, unspecified"
N18.5,"Bệnh thận mạn, giai đoạn 5","Chronic kidney disease, stage 5"
O14.1,Tiền sản giật nặng,Severe pre-eclampsia
R05,Ho,Cough
R50.9,"Sốt, không xác định","Fever, unspecified"
S06.0,Chấn động não,Concussion
S72.0,Gãy cổ xương đùi,Fracture of neck of femur
U07.1,"COVID-19, đã xác định virus","COVID-19, virus identified"
Z03.8,Theo dõi nghi ngờ bệnh hoặc tình trạng khác,Observation for other suspected diseases and conditions
`;

/** Loads the demo subset of the catalogue (a demo seed step). */
export async function seedDemoIcd10(m: EntityManager): Promise<void> {
  for (const e of parseIcd10Csv(DEMO_ICD10_CSV).entries)
    await m.query(
      `INSERT INTO icd10_codes (code, name_vi, name_en, chapter) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO NOTHING`,
      [e.code, e.nameVi, e.nameEn, e.chapter ?? icd10Chapter(e.code)],
    );
}
